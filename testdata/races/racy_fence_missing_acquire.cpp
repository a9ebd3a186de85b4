// A release fence before a relaxed store, but the reader has no acquire fence.
// race: global 'message'
#include <atomic>
#include <cstdio>
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
  int m = message;
  sender.join();
  std::printf("%d\n", m);
  return 0;
}
