// Double-checked locking with an atomic pointer published by a release store after the object is
// complete, read with acquire.
#include <atomic>
#include <cassert>
#include <cstdio>
#include <mutex>
#include <thread>

struct Settings {
  int port = 0;
};

std::atomic<Settings*> instance{nullptr};
std::mutex initLock;

Settings* get() {
  Settings* s = instance.load(std::memory_order_acquire);
  if (!s) {
    std::lock_guard<std::mutex> g(initLock);
    s = instance.load(std::memory_order_relaxed);
    if (!s) {
      s = new Settings;
      s->port = 8080;
      instance.store(s, std::memory_order_release);
    }
  }
  return s;
}

void client() {
  int port = get()->port;
  std::printf("port %d\n", port);
  assert(port == 8080 && "saw a half-initialised singleton");
}

int main() {
  std::thread a(client), b(client);
  a.join();
  b.join();
  delete instance.load();
}
