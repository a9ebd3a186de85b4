// Race-free through std::scoped_lock over two mutexes and std::jthread.
#include <mutex>
#include <thread>
std::mutex a, b;
int left, right;
int main() {
  {
    std::jthread t1([] {
      std::scoped_lock lk(a, b);
      ++left;
      ++right;
    });
    std::jthread t2([] {
      std::scoped_lock lk(b, a);
      ++left;
      ++right;
    });
  }
  return left == 2 && right == 2 ? 0 : 1;
}
