// thread-not-joined: POSIX and C11 threads joined or detached on every path, handles that outlive
// the function in a struct, and create failures that return before a thread exists.
#include "worker_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

struct server {
  pthread_t acceptor;
  int running;
};

// case: support
static void* compute(void* arg) {
  int* v = arg;
  *v *= 2;
  return NULL;
}

static int c11_compute(void* arg) {
  int* v = arg;
  return *v + 1;
}

// case: good
// The failed create returns (no thread exists); the success path joins.
int double_it(int* v) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, compute, v) != 0)
    return -1;
  pthread_join(tid, NULL);
  return 0;
}

// case: good
// Detached right after creation: the thread cleans up after itself.
int fire(int* v) {
  pthread_t tid;
  int rc = pthread_create(&tid, NULL, compute, v);
  if (rc != 0)
    return rc;
  pthread_detach(tid);
  return 0;
}

// case: good
// Created detached through the attribute: there is nothing to join.
int fire_detached(int* v) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, compute, v);
  pthread_attr_destroy(&attr);
  return rc;
}

// case: good
// Joined on the error path too.
int double_checked(int* v, int limit) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, compute, v) != 0)
    return -1;
  if (limit < 0) {
    pthread_join(tid, NULL);
    return -2;
  }
  pthread_join(tid, NULL);
  return *v > limit;
}

// case: good
// A local array of handles, created and joined in loops with the count of threads that started.
int double_all(int* values, int n) {
  pthread_t tids[16];
  int started = 0;
  for (int i = 0; i < n && i < 16; ++i) {
    if (pthread_create(&tids[i], NULL, compute, &values[i]) != 0)
      break;
    ++started;
  }
  for (int i = 0; i < started; ++i)
    pthread_join(tids[i], NULL);
  return started;
}

// case: good
// The handle is stored in the server and joined by server_stop.
int server_start(struct server* s, int* counter) {
  if (pthread_create(&s->acceptor, NULL, compute, counter) != 0)
    return -1;
  s->running = 1;
  return 0;
}

void server_stop(struct server* s) {
  if (s->running)
    pthread_join(s->acceptor, NULL);
  s->running = 0;
}

// case: good
// A local handle copied into the caller's structure before the scope ends.
int server_start_copy(struct server* s, int* counter) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, compute, counter) != 0)
    return -1;
  s->acceptor = tid;
  s->running = 1;
  return 0;
}

// case: good
// The pool (another file) owns the handles; this caller joins through it.
int run_pool(int n) {
  struct worker_pool pool;
  int started = pool_start(&pool, n);
  pool_join(&pool);
  return started;
}

// case: good
// One create and join per loop iteration.
void double_each(int* values, int n) {
  for (int i = 0; i < n; ++i) {
    pthread_t tid;
    if (pthread_create(&tid, NULL, compute, &values[i]) != 0)
      continue;
    pthread_join(tid, NULL);
  }
}

// case: good
// C11: joined after a successful thrd_create.
int c11_once(int v) {
  thrd_t t;
  if (thrd_create(&t, c11_compute, &v) != thrd_success)
    return -1;
  int res = 0;
  thrd_join(t, &res);
  return res;
}

// case: good
// C11: detached right after a successful create; the argument is not on this stack.
int c11_fire(int* heap_value) {
  thrd_t t;
  if (thrd_create(&t, c11_compute, heap_value) != thrd_success)
    return -1;
  thrd_detach(t);
  return 0;
}
