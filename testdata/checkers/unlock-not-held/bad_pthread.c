// unlock-not-held: pthread and C11 mutexes released when not held.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <threads.h>

struct queue {
  pthread_mutex_t lock;
  int items[64];
  int count;
};

void process(int item);

// case: bad
// The loop forgets to relock: from the second iteration on, the unlock releases a free mutex.
void queue_consume(struct queue* q) {
  pthread_mutex_lock(&q->lock);
  for (;;) {
    int item = q->count > 0 ? q->items[--q->count] : -1;
    pthread_mutex_unlock(&q->lock); // expect: unlock-not-held
    if (item < 0)
      break;
    process(item);
  }
}

// case: bad
// The logging branch already unlocked; the unlock after it is a second one.
void queue_note(struct queue* q, int verbose) {
  pthread_mutex_lock(&q->lock);
  int n = q->count;
  if (verbose) {
    pthread_mutex_unlock(&q->lock);
    printf("queue has %d items\n", n);
  }
  pthread_mutex_unlock(&q->lock); // expect: unlock-not-held
}

// case: bad
// Unlock of a freshly initialised mutex: copy-pasted from a function that took the lock.
int queue_init(struct queue* q) {
  if (pthread_mutex_init(&q->lock, NULL) != 0)
    return -1;
  q->count = 0;
  pthread_mutex_unlock(&q->lock); // expect: unlock-not-held
  return 0;
}

// case: bad
// trylock result kept but ignored at the unlock: unlocks even when trylock failed.
int queue_try_count(struct queue* q) {
  int rc = pthread_mutex_trylock(&q->lock);
  int n = rc == 0 ? q->count : -1;
  pthread_mutex_unlock(&q->lock); // expect: unlock-not-held
  return n;
}

// case: bad
// trylock failed (EBUSY) and the busy path unlocks anyway.
int queue_try_clear(struct queue* q) {
  if (pthread_mutex_trylock(&q->lock) != 0) {
    pthread_mutex_unlock(&q->lock); // expect: unlock-not-held
    return -1;
  }
  q->count = 0;
  pthread_mutex_unlock(&q->lock);
  return 0;
}

struct table {
  pthread_rwlock_t rw;
  int v[16];
};

// case: bad
// rwlock released twice on the not-found path.
int table_find(struct table* t, int key) {
  pthread_rwlock_rdlock(&t->rw);
  int found = -1;
  for (int i = 0; i < 16; ++i)
    if (t->v[i] == key)
      found = i;
  pthread_rwlock_unlock(&t->rw);
  if (found < 0)
    pthread_rwlock_unlock(&t->rw); // expect: unlock-not-held
  return found;
}

struct spin_counter {
  pthread_spinlock_t spin;
  long n;
};

// case: bad
// Spinlock released twice.
void spin_counter_reset(struct spin_counter* c) {
  pthread_spin_lock(&c->spin);
  c->n = 0;
  pthread_spin_unlock(&c->spin);
  pthread_spin_unlock(&c->spin); // expect: unlock-not-held
}

struct gauge {
  mtx_t m;
  int value;
};

// case: bad
// C11: the early-exit path unlocks, then falls into the common unlock.
void gauge_store(struct gauge* g, int v) {
  mtx_lock(&g->m);
  if (g->value == v)
    mtx_unlock(&g->m);
  g->value = v;
  mtx_unlock(&g->m); // expect: unlock-not-held
}

// case: bad
// C11: unlock of a mutex that was just created.
int gauge_init(struct gauge* g) {
  if (mtx_init(&g->m, mtx_plain) != thrd_success)
    return -1;
  g->value = 0;
  mtx_unlock(&g->m); // expect: unlock-not-held
  return 0;
}
