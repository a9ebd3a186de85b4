// Race-free through a release store and an acquire load.
#include <atomic>
#include <thread>
int payload;
std::atomic<bool> published{false};
int main() {
  std::thread producer([] {
    payload = 42;
    published.store(true, std::memory_order_release);
  });
  while (!published.load(std::memory_order_acquire)) {
  }
  int v = payload;
  producer.join();
  return v == 42 ? 0 : 1;
}
