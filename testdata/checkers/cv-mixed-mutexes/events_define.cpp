// cv-mixed-mutexes across files, std: the event is defined and waited on with g_event_mu here...
#include "events.h"

std::condition_variable g_event;
std::mutex g_event_mu;
std::mutex g_poll_mu;
bool g_event_fired = false;

// case: support
// The first wait on g_event: through a unique_lock of g_event_mu.
void wait_event() {
  std::unique_lock<std::mutex> lk(g_event_mu);
  g_event.wait(lk, [] { return g_event_fired; });
}
