// double-lock: pthread and C11 mutexes relocked by their holder.
#define _GNU_SOURCE
#include <pthread.h>
#include <threads.h>

struct queue {
  pthread_mutex_t lock;
  int count;
};

static int queue_size(struct queue* q) {
  pthread_mutex_lock(&q->lock);
  int n = q->count;
  pthread_mutex_unlock(&q->lock);
  return n;
}

// case: bad
// queue_size() locks q->lock internally; calling it with the lock held deadlocks.
int queue_is_full(struct queue* q) {
  pthread_mutex_lock(&q->lock);
  int full = queue_size(q) >= 64; // expect: double-lock
  pthread_mutex_unlock(&q->lock);
  return full;
}

// case: bad
// The same mutex named through a pointer alias.
void queue_reset(struct queue* q) {
  pthread_mutex_t* l = &q->lock;
  pthread_mutex_lock(&q->lock);
  q->count = 0;
  pthread_mutex_lock(l); // expect: double-lock
  q->count = -1;
  pthread_mutex_unlock(l);
  pthread_mutex_unlock(&q->lock);
}

static pthread_mutex_t g_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int g_initialised;

// case: bad
// A default (non-recursive) static mutex taken twice on the init path.
void subsystem_init(void) {
  pthread_mutex_lock(&g_init_lock);
  if (!g_initialised) {
    pthread_mutex_lock(&g_init_lock); // expect: double-lock
    g_initialised = 1;
    pthread_mutex_unlock(&g_init_lock);
  }
  pthread_mutex_unlock(&g_init_lock);
}

struct index {
  pthread_rwlock_t rw;
  int v[16];
};

// case: bad
// Read lock held, then a write lock on the same rwlock: waits for itself.
void index_fix(struct index* ix, int k) {
  pthread_rwlock_rdlock(&ix->rw);
  if (ix->v[k & 15] < 0) {
    pthread_rwlock_wrlock(&ix->rw); // expect: double-lock
    ix->v[k & 15] = 0;
    pthread_rwlock_unlock(&ix->rw);
  }
  pthread_rwlock_unlock(&ix->rw);
}

struct counter {
  pthread_spinlock_t spin;
  long n;
};

// case: bad
// A spinlock taken twice spins forever.
void counter_add2(struct counter* c) {
  pthread_spin_lock(&c->spin);
  c->n++;
  pthread_spin_lock(&c->spin); // expect: double-lock
  c->n++;
  pthread_spin_unlock(&c->spin);
  pthread_spin_unlock(&c->spin);
}

struct gauge {
  mtx_t m;
  int value;
};

static void gauge_set(struct gauge* g, int v) {
  mtx_lock(&g->m);
  g->value = v;
  mtx_unlock(&g->m);
}

// case: bad
// C11 mutex: gauge_set locks g->m internally and is called with it held.
void gauge_clamp(struct gauge* g, int max) {
  mtx_lock(&g->m);
  if (g->value > max)
    gauge_set(g, max); // expect: double-lock
  mtx_unlock(&g->m);
}

// case: bad
// A plain C11 mutex created here and locked twice.
int plain_twice(void) {
  mtx_t m;
  if (mtx_init(&m, mtx_plain) != thrd_success)
    return -1;
  mtx_lock(&m);
  mtx_lock(&m); // expect: double-lock
  mtx_unlock(&m);
  mtx_unlock(&m);
  mtx_destroy(&m);
  return 0;
}
