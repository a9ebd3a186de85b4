#include "stats.h"

#include <cstdio>

void stats_lock(Stats& s) noexcept {
  pthread_mutex_lock(&s.lock);
}

void stats_unlock(Stats& s) noexcept {
  pthread_mutex_unlock(&s.lock);
}

void stats_report(Stats& s) {
  stats_lock(s);
  long done = s.done;
  long failed = s.failed;
  long total = s.total_ms;
  stats_unlock(s);
  std::printf("%ld jobs done, %ld failed, %ld ms of work\n", done, failed, total);
}

void stats_destroy(Stats& s) {
  stats_lock(s);
  s.done = s.failed = s.total_ms = 0;
  // BUG: destroying a locked mutex is undefined behaviour (glibc returns EBUSY and leaks it).
  pthread_mutex_destroy(&s.lock); // expect: mutex-destroyed-locked
}
