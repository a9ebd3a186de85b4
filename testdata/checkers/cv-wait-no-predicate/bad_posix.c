// cv-wait-no-predicate: pthread_cond_wait and C11 cnd_wait outside a loop that re-tests the
// condition.
#include <errno.h>
#include <pthread.h>
#include <threads.h>
#include <time.h>

struct chan {
  pthread_mutex_t lock;
  pthread_cond_t ready_cv;
  int ready;
  int count;
  int items[16];
};

// case: bad
// `if` instead of `while`: a spurious wakeup returns with ready still 0.
void chan_await_if(struct chan* c) {
  pthread_mutex_lock(&c->lock);
  if (!c->ready)
    pthread_cond_wait(&c->ready_cv, &c->lock); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
}

// case: bad
// No test before or after: waits forever when the signal came first.
int chan_take(struct chan* c) {
  pthread_mutex_lock(&c->lock);
  pthread_cond_wait(&c->ready_cv, &c->lock); // expect: cv-wait-no-predicate
  int v = c->items[--c->count];
  pthread_mutex_unlock(&c->lock);
  return v;
}

// case: bad
// A timed wait whose 0 result is read as "signalled".
int chan_await_for(struct chan* c, const struct timespec* deadline) {
  pthread_mutex_lock(&c->lock);
  int rc = pthread_cond_timedwait(&c->ready_cv, &c->lock, deadline); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
  return rc != ETIMEDOUT;
}

// case: bad
// The loop re-tests only the wait's result: it runs until the deadline whatever happens.
void chan_sleep_until(struct chan* c, const struct timespec* deadline) {
  int rc = 0;
  pthread_mutex_lock(&c->lock);
  while (rc != ETIMEDOUT)
    rc = pthread_cond_timedwait(&c->ready_cv, &c->lock, deadline); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
}

// case: bad
// Waiting for n signals by counting wakeups.
void chan_await_n(struct chan* c, int n) {
  pthread_mutex_lock(&c->lock);
  for (int i = 0; i < n; i++)
    pthread_cond_wait(&c->ready_cv, &c->lock); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
}

// case: bad
// The consumer loop exits on a sentinel, but the wait is guarded by `if`: after a spurious wakeup
// it reads items[-1].
void chan_consume(struct chan* c, int* out) {
  pthread_mutex_lock(&c->lock);
  for (;;) {
    if (c->count == 0)
      pthread_cond_wait(&c->ready_cv, &c->lock); // expect: cv-wait-no-predicate
    int item = c->items[--c->count];
    if (item < 0)
      break;
    *out++ = item;
  }
  pthread_mutex_unlock(&c->lock);
}

struct job {
  mtx_t m;
  cnd_t done_cv;
  int done;
};

// case: bad
// C11 cnd_wait without a loop.
void job_await(struct job* j) {
  mtx_lock(&j->m);
  if (!j->done)
    cnd_wait(&j->done_cv, &j->m); // expect: cv-wait-no-predicate
  mtx_unlock(&j->m);
}

// case: bad
// C11 cnd_timedwait whose success is taken as "done".
int job_await_for(struct job* j, const struct timespec* deadline) {
  mtx_lock(&j->m);
  int rc = cnd_timedwait(&j->done_cv, &j->m, deadline); // expect: cv-wait-no-predicate
  mtx_unlock(&j->m);
  return rc == thrd_success;
}
