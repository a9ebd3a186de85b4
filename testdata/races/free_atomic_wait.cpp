// Race-free through C++20 atomic wait/notify (futex waits and wakes).
#include <atomic>
#include <thread>
int answer;
std::atomic<int> state{0};
int main() {
  std::thread t([] {
    answer = 42;
    state.store(1, std::memory_order_release);
    state.notify_one();
  });
  state.wait(0, std::memory_order_acquire);
  int a = answer;
  t.join();
  return a == 42 ? 0 : 1;
}
