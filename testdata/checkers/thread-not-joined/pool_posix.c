// A pool that stores its pthread_t handles and joins them in another function (and another file's
// callers): handles stored into a struct are not lost when pool_start returns.
#include "worker_pool.h"

#include <stddef.h>

// case: support
void* pool_worker(void* arg) {
  (void)arg;
  return NULL;
}

// case: good
// Handles written into the pool's array with a run-time index, joined by pool_join.
int pool_start(struct worker_pool* p, int n) {
  p->started = 0;
  for (int i = 0; i < n && i < POOL_MAX; ++i) {
    if (pthread_create(&p->tids[i], NULL, pool_worker, p) != 0)
      break;
    p->started = i + 1;
  }
  return p->started;
}

// case: good
// Joins every handle that pool_start created.
void pool_join(struct worker_pool* p) {
  for (int i = 0; i < p->started; ++i)
    pthread_join(p->tids[i], NULL);
  p->started = 0;
}
