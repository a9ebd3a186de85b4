// Race-free through std::latch: main reads what every worker wrote before counting down.
#include <latch>
#include <thread>
int parts[2];
int main() {
  std::latch done(2);
  std::thread a([&] {
    parts[0] = 1;
    done.count_down();
  });
  std::thread b([&] {
    parts[1] = 2;
    done.count_down();
  });
  done.wait();
  int sum = parts[0] + parts[1];
  a.join();
  b.join();
  return sum == 3 ? 0 : 1;
}
