// lock-not-released: correct pthread code that a naive checker would flag.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

struct queue {
  pthread_mutex_t lock;
  pthread_cond_t nonempty;
  int items[64];
  int count;
};

// case: good
// goto-cleanup: every path, including the error ones, goes through the single unlock.
int queue_push(struct queue* q, int v) {
  int rc = 0;
  pthread_mutex_lock(&q->lock);
  if (v < 0) {
    rc = EINVAL;
    goto out;
  }
  if (q->count == 64) {
    rc = EAGAIN;
    goto out;
  }
  q->items[q->count++] = v;
  pthread_cond_signal(&q->nonempty);
out:
  pthread_mutex_unlock(&q->lock);
  return rc;
}

// case: good
// trylock with `!= 0` meaning "busy": the early return happens without the lock.
int queue_try_pop(struct queue* q, int* out) {
  if (pthread_mutex_trylock(&q->lock) != 0)
    return EBUSY;
  int rc = EAGAIN;
  if (q->count > 0) {
    *out = q->items[--q->count];
    rc = 0;
  }
  pthread_mutex_unlock(&q->lock);
  return rc;
}

// case: good
// The trylock result is kept in a variable and tested again before unlocking.
int queue_peek_count(struct queue* q) {
  int rc = pthread_mutex_trylock(&q->lock);
  int n = -1;
  if (rc == 0)
    n = q->count;
  if (rc == 0)
    pthread_mutex_unlock(&q->lock);
  return n;
}

// case: good
// pthread_cond_wait loop: the wait releases and retakes the mutex; unlocked once at the end.
int queue_pop(struct queue* q) {
  pthread_mutex_lock(&q->lock);
  while (q->count == 0)
    pthread_cond_wait(&q->nonempty, &q->lock);
  int v = q->items[--q->count];
  pthread_mutex_unlock(&q->lock);
  return v;
}

// case: good
// Correlated flag: the caller may already hold the lock, and then neither lock nor unlock happens.
void queue_clear(struct queue* q, bool caller_holds_lock) {
  if (!caller_holds_lock)
    pthread_mutex_lock(&q->lock);
  q->count = 0;
  if (!caller_holds_lock)
    pthread_mutex_unlock(&q->lock);
}

// case: good
// A lock wrapper over two mutexes taken in a fixed order: returns holding both on every path.
// (Callers pass the pair sorted by address, which threadcheck cannot see: hence the NOLINT.)
void queue_lock_pair(struct queue* a, struct queue* b) {
  pthread_mutex_lock(&a->lock);
  pthread_mutex_lock(&b->lock); // NOLINT(lock-order-inversion)
}

// case: good
// A loop that takes and releases the lock in every iteration, leaving by break after the unlock.
int queue_wait_nonempty_polling(struct queue* q, int attempts) {
  int n = 0;
  for (int i = 0; i < attempts; ++i) {
    pthread_mutex_lock(&q->lock);
    n = q->count;
    pthread_mutex_unlock(&q->lock);
    if (n > 0)
      break;
  }
  return n;
}

struct rwtable {
  pthread_rwlock_t rw;
  int v[16];
};

// case: good
// rwlock read and write sections each unlocked before every return.
int rwtable_swap(struct rwtable* t, int k, int v) {
  if (k < 0 || k >= 16)
    return -1;
  pthread_rwlock_rdlock(&t->rw);
  int old = t->v[k];
  pthread_rwlock_unlock(&t->rw);
  if (old == v)
    return old;
  pthread_rwlock_wrlock(&t->rw);
  t->v[k] = v;
  pthread_rwlock_unlock(&t->rw);
  return old;
}

static pthread_mutex_t g_reent = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static int g_depth;

// case: good
// A recursive pthread mutex locked twice and unlocked twice.
int reentrant_depth(void) {
  pthread_mutex_lock(&g_reent);
  pthread_mutex_lock(&g_reent);
  int d = ++g_depth;
  pthread_mutex_unlock(&g_reent);
  pthread_mutex_unlock(&g_reent);
  return d;
}

struct spin_stats {
  pthread_spinlock_t spin;
  long total;
};

// case: good
// A spinlock section with an early return placed after the unlock.
long spin_stats_add(struct spin_stats* s, long n) {
  pthread_spin_lock(&s->spin);
  s->total += n;
  long t = s->total;
  pthread_spin_unlock(&s->spin);
  if (t < 0)
    return -1;
  return t;
}
