// Race-free through sequentially consistent atomics (the default memory order).
#include <atomic>
#include <thread>
int data[2];
std::atomic<int> turn{0};
int main() {
  std::thread t([] {
    while (turn.load() != 1) {
    }
    data[1] = data[0] + 1;
    turn.store(2);
  });
  data[0] = 5;
  turn.store(1);
  while (turn.load() != 2) {
  }
  int v = data[1];
  t.join();
  return v == 6 ? 0 : 1;
}
