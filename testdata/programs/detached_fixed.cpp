// The flusher is joined before main returns.
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex logLock;

void flusher() {
  for (int i = 0; i < 3; ++i) {
    std::lock_guard<std::mutex> g(logLock);
    std::printf("flushing batch %d\n", i);
  }
}

int main() {
  std::thread t(flusher);
  t.join();
  std::puts("exiting");
}
