// ...and this one waits on the same condition variable with pool::stats_lock.
#include "pool.h"

// case: bad
// 'freed' is waited on with stats_lock here and with lock in pool_acquire.c: a pool_put that
// signals under 'lock' can run between this thread's test and its wait.
int pool_wait_idle(struct pool* p) {
  pthread_mutex_lock(&p->stats_lock);
  p->waiters++;
  while (p->free_count == 0)
    pthread_cond_wait(&p->freed, &p->stats_lock); // expect: cv-mixed-mutexes
  p->waiters--;
  pthread_mutex_unlock(&p->stats_lock);
  return 0;
}
