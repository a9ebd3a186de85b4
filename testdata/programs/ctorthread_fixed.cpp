// A library-style singleton that starts its background thread from a global constructor, before
// main runs (loggers and metrics exporters do this). The counter both threads update is guarded.
#include <cassert>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex lock;
int events = 0;

void record() {
  std::lock_guard<std::mutex> g(lock);
  int seen = events;
  std::this_thread::yield(); // "format the entry"
  events = seen + 1;
}

struct Exporter {
  std::thread worker;
  Exporter() : worker([] { record(); }) {}
} exporter;

int main() {
  record();
  exporter.worker.join();
  std::printf("%d events\n", events);
  assert(events == 2);
}
