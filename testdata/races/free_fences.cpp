// Race-free through fences: release fence + relaxed store, relaxed load + acquire fence.
#include <atomic>
#include <thread>
int message;
std::atomic<int> sent{0};
int main() {
  std::thread sender([] {
    message = 1;
    std::atomic_thread_fence(std::memory_order_release);
    sent.store(1, std::memory_order_relaxed);
  });
  while (sent.load(std::memory_order_relaxed) == 0) {
  }
  std::atomic_thread_fence(std::memory_order_acquire);
  int m = message;
  sender.join();
  return m == 1 ? 0 : 1;
}
