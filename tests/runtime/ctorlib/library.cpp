// A shared library whose global constructor starts a thread. The dynamic loader runs it before
// the preloaded runtime's own constructor, so the runtime must set itself up on that first
// pthread_create.
#include <mutex>
#include <thread>

static std::mutex lock;
static int events = 0;
static std::thread* worker;

static void record() {
  std::lock_guard<std::mutex> g(lock);
  ++events;
}

namespace {
struct Starter {
  Starter() { worker = new std::thread(record); }
} starter;
} // namespace

extern "C" int library_events() {
  record();
  worker->join();
  delete worker;
  std::lock_guard<std::mutex> g(lock);
  return events;
}
