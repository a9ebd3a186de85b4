// Double-checked locking done wrong: the instance is published before it is initialised, so a
// second thread can see the pointer and use a half-built object.
#include <cassert>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unistd.h>

struct Settings {
  int port = 0;
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
      usleep(100);  // "load the settings file"
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
