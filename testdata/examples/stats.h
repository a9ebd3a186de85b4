// Counters shared by the workers. The lock is exposed through stats_lock()/stats_unlock() so that a
// worker can update several counters atomically.
#pragma once

#include <pthread.h>

struct Stats {
  pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  long done = 0;
  long failed = 0;
  long total_ms = 0;
};

void stats_lock(Stats& s) noexcept;
void stats_unlock(Stats& s) noexcept;
void stats_report(Stats& s);
void stats_destroy(Stats& s);
