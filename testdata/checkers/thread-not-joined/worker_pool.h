// A fixed pool of POSIX workers whose handles live in the pool, not on a caller's stack.
#pragma once
#include <pthread.h>

#define POOL_MAX 8

struct worker_pool {
  pthread_t tids[POOL_MAX];
  int started;
};

void* pool_worker(void* arg);
int pool_start(struct worker_pool* p, int n);
void pool_join(struct worker_pool* p);
