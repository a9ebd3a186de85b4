// A detached thread is still flushing when main returns (Python's daemon-thread case): its work
// is cut off, or it touches globals that are being destroyed.
#include <chrono>
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
  std::thread(flusher).detach();
  std::this_thread::sleep_for(std::chrono::milliseconds(10)); // "long enough"
  std::puts("exiting");
}
