// A spin-wait on the wrong flag: the setter raises `done`, the waiter spins on `ready` forever.
#include <atomic>
#include <cstdio>
#include <thread>

std::atomic<bool> ready{false};
std::atomic<bool> done{false};
int payload = 0;

int main() {
  std::thread setter([] {
    payload = 42;
    done.store(true, std::memory_order_release);
  });
  while (!ready.load(std::memory_order_acquire))
    std::this_thread::yield();
  std::printf("payload %d\n", payload);
  setter.join();
}
