// cv-wait-no-predicate: functions that only wait for their callers are judged at the calls.
#include "wait_wrappers.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

// case: good
// The wrapper's wait has no predicate by design: the condition is the caller's.
void ev_cond_wait(ev_cond_t* c, ev_mutex_t* m) {
  if (pthread_cond_wait(c, m))
    abort();
}

// case: good
// An EINTR retry loop tests only the wait's result; still a wrapper.
int ev_cond_timedwait(ev_cond_t* c, ev_mutex_t* m, long ns) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_nsec += ns % 1000000000;
  int rc;
  do
    rc = pthread_cond_timedwait(c, m, &ts);
  while (rc == EINTR);
  return rc;
}

// case: good
// A wrapper of a wrapper: it passes the wait on to its own callers.
void ev_queue_wait(struct ev_queue* q) {
  ev_cond_wait(&q->nonempty, &q->mu);
}

// case: bad
// Takes the lock itself, so the condition belongs to this critical section; nobody re-tests it.
void ev_queue_wait_locked(struct ev_queue* q) {
  pthread_mutex_lock(&q->mu);
  pthread_cond_wait(&q->nonempty, &q->mu); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&q->mu);
}

static ev_cond_t g_cond = PTHREAD_COND_INITIALIZER;
static ev_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_ready;

// case: bad
// The condition variable is this file's own, not the caller's: judged here.
void wait_global_ready(void) {
  pthread_cond_wait(&g_cond, &g_mu); // expect: cv-wait-no-predicate
}

// case: good
void wait_global_ready_loop(void) {
  pthread_mutex_lock(&g_mu);
  while (!g_ready)
    ev_cond_wait(&g_cond, &g_mu);
  pthread_mutex_unlock(&g_mu);
}

// case: bad
// A wrapper's call under `if` in the same file.
void wait_global_ready_once(void) {
  pthread_mutex_lock(&g_mu);
  if (!g_ready)
    ev_cond_wait(&g_cond, &g_mu); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&g_mu);
}

// case: good
// libevent's evthread_posix_cond_wait: the condition variable arrives as a `void*` and is read
// through a local; a wrapper still.
int ev_cond_wait_opaque(void* cond_, void* lock_) {
  pthread_cond_t* cond = cond_;
  pthread_mutex_t* lock = lock_;
  return pthread_cond_wait(cond, lock) ? -1 : 0;
}

// case: good
void wait_opaque_loop(void) {
  pthread_mutex_lock(&g_mu);
  while (!g_ready)
    ev_cond_wait_opaque(&g_cond, &g_mu);
  pthread_mutex_unlock(&g_mu);
}

// case: bad
void wait_opaque_once(void) {
  pthread_mutex_lock(&g_mu);
  if (!g_ready)
    ev_cond_wait_opaque(&g_cond, &g_mu); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&g_mu);
}

// case: bad
// The local is pointed elsewhere before the wait: it is not what the caller handed in.
void wait_rebound(pthread_cond_t* c) {
  pthread_cond_t* cv = c;
  cv = &g_cond;
  pthread_cond_wait(cv, &g_mu); // expect: cv-wait-no-predicate
}
