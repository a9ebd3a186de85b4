// Thread entries and a lock wrapper defined in daemon_entry.c, used from C and C++ files: their
// summaries (never returns, returns holding a lock) decide the findings at the thread creations.
#pragma once
#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

void* metrics_daemon(void* arg);   // samples metrics forever
void* metrics_snapshot(void* arg); // takes one sample and returns
void serve_forever(int port);      // an accept loop with no way out
void serve_until_closed(int port); // an accept loop that ends when the listener closes
void stats_lock(void);             // lock wrapper: returns holding the stats lock
void stats_unlock(void);
extern long g_stats_samples;

#ifdef __cplusplus
}
#endif
