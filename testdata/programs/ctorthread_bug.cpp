// A library-style singleton that starts its background thread from a global constructor, before
// main runs, and updates a counter that main updates too, without a lock: an update is lost.
#include <cassert>
#include <cstdio>
#include <thread>

int events = 0;

void record() {
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
  assert(events == 2 && "lost an update");
}
