// A release store read by a relaxed load: no acquire, so no synchronisation.
// race: global 'result'
#include <atomic>
#include <cstdio>
#include <thread>
int result;
std::atomic<int> ready{0};
int main() {
  std::thread worker([] {
    result = 7;
    ready.store(1, std::memory_order_release);
  });
  while (ready.load(std::memory_order_relaxed) == 0) {
  }
  int r = result;
  worker.join();
  std::printf("%d\n", r);
  return 0;
}
