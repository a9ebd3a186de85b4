// flags: -std=c11 -pthread
// cv-wait-no-predicate fixes in C: pthread_cond_wait and cnd_wait under an `if` that states the
// whole condition become a `while`; the timed waits, which a loop must stop on their result, keep
// the finding without a fix.
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

int chan_take(struct chan* c) {
  pthread_mutex_lock(&c->lock);
  if (c->count == 0)
    pthread_cond_wait(&c->ready_cv, &c->lock); // fixed: cv-wait-no-predicate
  int v = c->items[--c->count];
  pthread_mutex_unlock(&c->lock);
  return v;
}

void chan_await(struct chan* c) {
  pthread_mutex_lock(&c->lock);
  if (!c->ready && c->count < 16) {
    pthread_cond_wait(&c->ready_cv, &c->lock); // fixed: cv-wait-no-predicate
  }
  pthread_mutex_unlock(&c->lock);
}

static mtx_t g_mtx;
static cnd_t g_cnd;
static int g_pending = 0;

void c11_drain(void) {
  mtx_lock(&g_mtx);
  if (g_pending > 0)
    cnd_wait(&g_cnd, &g_mtx); // fixed: cv-wait-no-predicate
  mtx_unlock(&g_mtx);
}

// Not fixed: the wait's status is what the caller gets.
int chan_await_status(struct chan* c) {
  pthread_mutex_lock(&c->lock);
  int rc = 0;
  if (!c->ready)
    rc = pthread_cond_wait(&c->ready_cv, &c->lock); // kept: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
  return rc;
}

// Not fixed: a timed wait; in a loop it would keep returning at the passed deadline.
void chan_await_until(struct chan* c, const struct timespec* deadline) {
  pthread_mutex_lock(&c->lock);
  if (!c->ready)
    pthread_cond_timedwait(&c->ready_cv, &c->lock, deadline); // kept: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
}

// Not fixed: the condition is written in a macro, which the edit cannot see through.
#define AWAIT_READY(c) if (!(c)->ready) pthread_cond_wait(&(c)->ready_cv, &(c)->lock)
void chan_await_macro(struct chan* c) {
  pthread_mutex_lock(&c->lock);
  AWAIT_READY(c); // kept: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
}

// Not fixed: the code after the wait handles a wakeup without the condition.
int c11_try_take(void) {
  mtx_lock(&g_mtx);
  if (g_pending == 0)
    cnd_wait(&g_cnd, &g_mtx); // kept: cv-wait-no-predicate
  if (g_pending == 0) {
    mtx_unlock(&g_mtx);
    return 0;
  }
  --g_pending;
  mtx_unlock(&g_mtx);
  return 1;
}
