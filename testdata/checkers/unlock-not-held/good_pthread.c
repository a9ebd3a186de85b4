// unlock-not-held: correct pthread and C11 releases.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <threads.h>

struct fifo {
  pthread_mutex_t lock;
  pthread_cond_t nonempty;
  int items[64];
  int count;
};

// case: good
// trylock busy path returns without unlocking; the success path unlocks once.
int fifo_try_clear(struct fifo* q) {
  if (pthread_mutex_trylock(&q->lock) != 0)
    return EBUSY;
  q->count = 0;
  pthread_mutex_unlock(&q->lock);
  return 0;
}

// case: good
// trylock result in a variable, tested again at the unlock.
int fifo_try_count(struct fifo* q) {
  int rc = pthread_mutex_trylock(&q->lock);
  int n = -1;
  if (rc == 0) {
    n = q->count;
    pthread_mutex_unlock(&q->lock);
  }
  return n;
}

// case: good
// The "locked" flag tracks ownership through goto cleanup.
int fifo_drain(struct fifo* q, int* out, int max) {
  int locked = 0;
  int n = 0;
  if (max <= 0)
    goto done;
  pthread_mutex_lock(&q->lock);
  locked = 1;
  while (q->count > 0 && n < max)
    out[n++] = q->items[--q->count];
done:
  if (locked)
    pthread_mutex_unlock(&q->lock);
  return n;
}

// case: good
// cond wait loop: the mutex is held again when pthread_cond_wait returns.
int fifo_pop(struct fifo* q) {
  pthread_mutex_lock(&q->lock);
  while (q->count == 0)
    pthread_cond_wait(&q->nonempty, &q->lock);
  int v = q->items[--q->count];
  pthread_mutex_unlock(&q->lock);
  return v;
}

// case: good
// The consumer loop relocks at the end of every iteration.
void fifo_consume(struct fifo* q, void (*process)(int)) {
  pthread_mutex_lock(&q->lock);
  while (q->count > 0) {
    int item = q->items[--q->count];
    pthread_mutex_unlock(&q->lock);
    process(item);
    pthread_mutex_lock(&q->lock);
  }
  pthread_mutex_unlock(&q->lock);
}

static pthread_mutex_t g_reent = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

// case: good
// Recursive pthread mutex: unlock count matches lock count.
void reent_twice(int* v) {
  pthread_mutex_lock(&g_reent);
  pthread_mutex_lock(&g_reent);
  ++*v;
  pthread_mutex_unlock(&g_reent);
  pthread_mutex_unlock(&g_reent);
}

struct map {
  pthread_rwlock_t rw;
  int v[16];
};

// case: good
// Each rwlock section released once, including the early return after a read.
int map_update(struct map* t, int k, int v) {
  pthread_rwlock_rdlock(&t->rw);
  bool same = t->v[k & 15] == v;
  pthread_rwlock_unlock(&t->rw);
  if (same)
    return 0;
  pthread_rwlock_wrlock(&t->rw);
  t->v[k & 15] = v;
  pthread_rwlock_unlock(&t->rw);
  return 1;
}

struct meter {
  mtx_t m;
  int value;
};

// case: good
// C11 trylock success path unlocks, failure path does not.
int meter_try_set(struct meter* g, int v) {
  if (mtx_trylock(&g->m) != thrd_success)
    return -1;
  g->value = v;
  mtx_unlock(&g->m);
  return 0;
}
