// A spin-wait on an atomic flag with a yield in the loop: under the runtime it must finish, the
// spinning thread being descheduled in favour of the one that sets the flag.
#include <atomic>
#include <cstdio>
#include <thread>

std::atomic<bool> ready{false};
int payload = 0;

int main() {
  std::thread setter([] {
    payload = 42;
    ready.store(true, std::memory_order_release);
  });
  while (!ready.load(std::memory_order_acquire))
    std::this_thread::yield();
  std::printf("payload %d\n", payload);
  setter.join();
}
