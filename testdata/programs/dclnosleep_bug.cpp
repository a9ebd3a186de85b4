// Double-checked locking done wrong, with nothing between publishing the pointer and finishing
// the object: only a preemption at that memory access (instrumented mode) exposes it.
#include <cassert>
#include <cstdio>
#include <mutex>
#include <thread>

// volatile keeps the compiler from reordering the stores: the bug is in the source's order.
struct Settings {
  volatile int port = 0;
};

Settings* volatile instance = nullptr;
std::mutex initLock;

Settings* get() {
  if (!instance) {
    std::lock_guard<std::mutex> g(initLock);
    if (!instance) {
      Settings* s = static_cast<Settings*>(operator new(sizeof(Settings)));
      s->port = 0;
      instance = s; // published too early
      s->port = 8080;
    }
  }
  return instance;
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
}
