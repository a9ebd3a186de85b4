// cv-wait-no-predicate: POSIX and C11 waits in loops that re-test shared state.
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <threads.h>
#include <time.h>

struct inbox {
  pthread_mutex_t lock;
  pthread_cond_t nonempty;
  int count;
  int closed;
};

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cv = PTHREAD_COND_INITIALIZER;
static bool s_ready;

// case: good
// The canonical loop.
void inbox_await(struct inbox* b) {
  pthread_mutex_lock(&b->lock);
  while (b->count == 0)
    pthread_cond_wait(&b->nonempty, &b->lock);
  b->count--;
  pthread_mutex_unlock(&b->lock);
}

// case: good
// A timed wait in a loop that re-tests the count and stops on timeout.
int inbox_await_until(struct inbox* b, const struct timespec* deadline) {
  int rc = 0;
  pthread_mutex_lock(&b->lock);
  while (b->count == 0 && rc == 0)
    rc = pthread_cond_timedwait(&b->nonempty, &b->lock, deadline);
  int got = b->count > 0;
  if (got)
    b->count--;
  pthread_mutex_unlock(&b->lock);
  return got;
}

// case: good
// An endless loop whose exits test the shared state first.
int inbox_await_or_close(struct inbox* b) {
  pthread_mutex_lock(&b->lock);
  for (;;) {
    if (b->count > 0)
      break;
    if (b->closed) {
      pthread_mutex_unlock(&b->lock);
      return -1;
    }
    pthread_cond_wait(&b->nonempty, &b->lock);
  }
  b->count--;
  pthread_mutex_unlock(&b->lock);
  return 0;
}

// case: good
// A file-scope flag.
void await_global(void) {
  pthread_mutex_lock(&s_lock);
  while (!s_ready)
    pthread_cond_wait(&s_cv, &s_lock);
  pthread_mutex_unlock(&s_lock);
}

// case: good
// do/while around the wait.
void await_global_do(void) {
  pthread_mutex_lock(&s_lock);
  do
    pthread_cond_wait(&s_cv, &s_lock);
  while (!s_ready);
  pthread_mutex_unlock(&s_lock);
}

int inbox_has_work(const struct inbox* b);

// case: good
// The condition is a function of the inbox.
void inbox_await_work(struct inbox* b) {
  pthread_mutex_lock(&b->lock);
  while (!inbox_has_work(b))
    pthread_cond_wait(&b->nonempty, &b->lock);
  pthread_mutex_unlock(&b->lock);
}

struct task {
  mtx_t m;
  cnd_t done_cv;
  int done;
};

// case: good
// C11 cnd_wait in a loop.
void task_await(struct task* t) {
  mtx_lock(&t->m);
  while (!t->done)
    cnd_wait(&t->done_cv, &t->m);
  mtx_unlock(&t->m);
}

// case: good
// C11 cnd_timedwait in a loop that gives up on timeout.
int task_await_until(struct task* t, const struct timespec* deadline) {
  int rc = thrd_success;
  mtx_lock(&t->m);
  while (!t->done) {
    rc = cnd_timedwait(&t->done_cv, &t->m, deadline);
    if (rc == thrd_timedout)
      break;
  }
  int done = t->done;
  mtx_unlock(&t->m);
  return done;
}

// case: good
// A local copy refreshed from the shared count after every wakeup.
void inbox_await_copy(struct inbox* b) {
  pthread_mutex_lock(&b->lock);
  int seen = b->count;
  while (seen == 0) {
    pthread_cond_wait(&b->nonempty, &b->lock);
    seen = b->count;
  }
  pthread_mutex_unlock(&b->lock);
}

// case: good
// Barrier and semaphore waits are not condition variables.
void not_condvars(pthread_barrier_t* barrier) {
  pthread_barrier_wait(barrier);
}
