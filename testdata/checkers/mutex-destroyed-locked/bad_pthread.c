// mutex-destroyed-locked: pthread_mutex_destroy / mtx_destroy on a mutex that is still held.
// POSIX makes that undefined behaviour; glibc returns EBUSY and leaks the mutex, other libcs
// corrupt.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <threads.h>

struct conn {
  pthread_mutex_t lock;
  int open;
  char* buf;
};

// case: bad
// Teardown locks to mark the connection closed and destroys the mutex without unlocking it.
void conn_close(struct conn* c) {
  pthread_mutex_lock(&c->lock);
  c->open = 0;
  free(c->buf);
  pthread_mutex_destroy(&c->lock); // expect: mutex-destroyed-locked
}

// case: bad
// The mutex is unlocked only when the connection was dirty; the destroy runs on both paths.
void conn_release(struct conn* c, int dirty) {
  pthread_mutex_lock(&c->lock);
  if (dirty) {
    c->open = 0;
    pthread_mutex_unlock(&c->lock);
  }
  pthread_mutex_destroy(&c->lock); // expect: mutex-destroyed-locked
}

struct pool {
  pthread_mutex_t lock;
  void** slots;
  int n;
};

// case: bad
// The allocation-failure path destroys the mutex it locked a moment ago.
int pool_init(struct pool* p, int n) {
  pthread_mutex_init(&p->lock, NULL);
  pthread_mutex_lock(&p->lock);
  p->slots = calloc((size_t)n, sizeof *p->slots);
  if (!p->slots) {
    pthread_mutex_destroy(&p->lock); // expect: mutex-destroyed-locked
    return -1;
  }
  p->n = n;
  pthread_mutex_unlock(&p->lock);
  return 0;
}

static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE* g_log;

// case: bad
// Shutdown takes the global log lock to flush, then destroys it still held.
void log_shutdown(void) {
  pthread_mutex_lock(&g_log_lock);
  if (g_log)
    fclose(g_log);
  g_log = NULL;
  pthread_mutex_destroy(&g_log_lock); // expect: mutex-destroyed-locked
}

// case: bad
// Locked through a pointer alias, destroyed through the member.
void conn_abort(struct conn* c) {
  pthread_mutex_t* l = &c->lock;
  pthread_mutex_lock(l);
  c->open = 0;
  pthread_mutex_destroy(&c->lock); // expect: mutex-destroyed-locked
}

struct shards {
  pthread_mutex_t locks[4];
  int counts[4];
};

// case: bad
// Element 0 is locked for a final read and destroyed held.
int shards_teardown(struct shards* s) {
  pthread_mutex_lock(&s->locks[0]);
  int total = s->counts[0];
  pthread_mutex_destroy(&s->locks[0]); // expect: mutex-destroyed-locked
  return total;
}

// case: bad
// A trylock that succeeded is followed by destroy on the "idle" path.
int conn_reap_if_idle(struct conn* c) {
  if (pthread_mutex_trylock(&c->lock) != 0)
    return 0;
  if (!c->open) {
    pthread_mutex_destroy(&c->lock); // expect: mutex-destroyed-locked
    return 1;
  }
  pthread_mutex_unlock(&c->lock);
  return 0;
}

// case: bad
// A stack mutex for a one-off job, destroyed while still locked.
int run_once_locked(int (*job)(void)) {
  pthread_mutex_t m;
  pthread_mutex_init(&m, NULL);
  pthread_mutex_lock(&m);
  int rc = job();
  pthread_mutex_destroy(&m); // expect: mutex-destroyed-locked
  return rc;
}

struct gauge {
  mtx_t m;
  int value;
};

// case: bad
// C11: destroyed while held.
void gauge_free(struct gauge* g) {
  mtx_lock(&g->m);
  g->value = 0;
  mtx_destroy(&g->m); // expect: mutex-destroyed-locked
  free(g);
}

// case: bad
// C11: mtx_trylock succeeded and the mutex is destroyed without unlocking.
int gauge_try_retire(struct gauge* g) {
  if (mtx_trylock(&g->m) != thrd_success)
    return 0;
  g->value = -1;
  mtx_destroy(&g->m); // expect: mutex-destroyed-locked
  return 1;
}

// case: bad
// C11: a recursive mutex locked twice and unlocked once is still held at the destroy.
void recursive_destroy(void) {
  mtx_t m;
  if (mtx_init(&m, mtx_plain | mtx_recursive) != thrd_success)
    return;
  mtx_lock(&m);
  mtx_lock(&m);
  mtx_unlock(&m);
  mtx_destroy(&m); // expect: mutex-destroyed-locked
}
