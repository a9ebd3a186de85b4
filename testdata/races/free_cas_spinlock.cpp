// Race-free through a spinlock built on compare_exchange (acquire) and a release store.
#include <atomic>
#include <thread>
std::atomic<int> lock{0};
long total;
void work() {
  for (int i = 0; i < 2; ++i) {
    int expected = 0;
    while (!lock.compare_exchange_weak(expected, 1, std::memory_order_acquire,
                                       std::memory_order_relaxed))
      expected = 0;
    ++total;
    lock.store(0, std::memory_order_release);
  }
}
int main() {
  std::thread a(work), b(work);
  a.join();
  b.join();
  return total == 4 ? 0 : 1;
}
