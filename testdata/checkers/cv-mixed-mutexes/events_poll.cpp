// ...and with g_poll_mu here.
#include "events.h"

// case: bad
// The same global condition variable through a unique_lock of another mutex.
void poll_event() {
  std::unique_lock lk(g_poll_mu);
  auto fired = [] { return g_event_fired; };
  g_event.wait_for(lk, std::chrono::milliseconds(5), fired); // expect: cv-mixed-mutexes
}
