// Data published through a relaxed atomic flag: the flag itself is fine, the data races.
// race: global 'payload'
#include <atomic>
#include <cstdio>
#include <thread>
int payload;
std::atomic<bool> published{false};
int main() {
  std::thread producer([] {
    payload = 42;
    published.store(true, std::memory_order_relaxed);
  });
  while (!published.load(std::memory_order_relaxed)) {
  }
  int v = payload;
  producer.join();
  std::printf("%d\n", v);
  return 0;
}
