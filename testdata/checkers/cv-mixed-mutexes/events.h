// A global event shared by events_wait.cpp and events_poll.cpp.
#include <condition_variable>
#include <mutex>

extern std::condition_variable g_event;
extern std::mutex g_event_mu;
extern std::mutex g_poll_mu;
extern bool g_event_fired;

void wait_event();
void poll_event();
