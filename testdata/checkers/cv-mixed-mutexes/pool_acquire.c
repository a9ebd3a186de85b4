// cv-mixed-mutexes across files: this file waits on pool::freed with pool::lock...
#include "pool.h"

// case: support
// The first wait on 'pool::freed' in the program: with pool::lock.
int pool_take(struct pool* p) {
  pthread_mutex_lock(&p->lock);
  while (p->free_count == 0)
    pthread_cond_wait(&p->freed, &p->lock);
  p->free_count--;
  pthread_mutex_unlock(&p->lock);
  return 0;
}
