// mutex-destroyed-locked: correct teardown that a naive checker would flag.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <threads.h>

struct link {
  pthread_mutex_t lock;
  pthread_cond_t idle_cv;
  int open;
  int users;
};

// case: good
// Lock, mark closed, unlock, destroy.
void link_close(struct link* c) {
  pthread_mutex_lock(&c->lock);
  c->open = 0;
  pthread_mutex_unlock(&c->lock);
  pthread_mutex_destroy(&c->lock);
}

// case: good
// Wait until no thread uses the connection (the wait releases the lock), then unlock and destroy.
void link_retire(struct link* c) {
  pthread_mutex_lock(&c->lock);
  while (c->users > 0)
    pthread_cond_wait(&c->idle_cv, &c->lock);
  pthread_mutex_unlock(&c->lock);
  pthread_cond_destroy(&c->idle_cv);
  pthread_mutex_destroy(&c->lock);
}

// case: good
// Destroy only after a successful trylock was undone; the busy path does not destroy.
int link_reap_if_idle(struct link* c) {
  if (pthread_mutex_trylock(&c->lock) != 0)
    return 0;
  bool idle = !c->open;
  pthread_mutex_unlock(&c->lock);
  if (idle)
    pthread_mutex_destroy(&c->lock);
  return idle;
}

// case: good
// The trylock result kept in a variable decides the unlock before the destroy.
void link_force_close(struct link* c) {
  int rc = pthread_mutex_trylock(&c->lock);
  c->open = 0;
  if (rc == 0)
    pthread_mutex_unlock(&c->lock);
  pthread_mutex_destroy(&c->lock);
}

// case: good
// Correlated flag: the lock taken under a flag is released under the same flag before destroy.
void link_teardown(struct link* c, bool shared) {
  if (shared)
    pthread_mutex_lock(&c->lock);
  c->users = 0;
  if (shared)
    pthread_mutex_unlock(&c->lock);
  pthread_mutex_destroy(&c->lock);
}

struct arena {
  pthread_mutex_t lock;
  void** slots;
};

// case: good
// The error path destroys a mutex that was never locked.
int arena_init(struct arena* p, int n) {
  if (pthread_mutex_init(&p->lock, NULL) != 0)
    return -1;
  p->slots = calloc((size_t)n, sizeof *p->slots);
  if (!p->slots) {
    pthread_mutex_destroy(&p->lock);
    return -1;
  }
  return 0;
}

// case: good
// A recursive mutex locked twice, unlocked twice, then destroyed.
int recursive_job(void) {
  pthread_mutexattr_t a;
  pthread_mutex_t m;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&m, &a);
  pthread_mutexattr_destroy(&a);
  pthread_mutex_lock(&m);
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  pthread_mutex_unlock(&m);
  pthread_mutex_destroy(&m);
  return 0;
}

struct meter {
  mtx_t m;
  int value;
};

// case: good
// C11: unlocked before mtx_destroy.
void meter_free(struct meter* g) {
  mtx_lock(&g->m);
  g->value = 0;
  mtx_unlock(&g->m);
  mtx_destroy(&g->m);
  free(g);
}

// case: good
// C11 recursive mutex (made recursive by meter_init): locked twice, unlocked twice, then destroyed.
int meter_init(struct meter* g) {
  g->value = 0;
  return mtx_init(&g->m, mtx_plain | mtx_recursive) == thrd_success ? 0 : -1;
}

void meter_nested_free(struct meter* g) {
  mtx_lock(&g->m);
  mtx_lock(&g->m);
  g->value = 0;
  mtx_unlock(&g->m);
  mtx_unlock(&g->m);
  mtx_destroy(&g->m);
}

// case: good
// Each loop iteration releases the lock; the destroy comes after the loop.
void link_drain_and_close(struct link* c, int rounds) {
  for (int i = 0; i < rounds; ++i) {
    pthread_mutex_lock(&c->lock);
    if (c->users > 0)
      c->users--;
    pthread_mutex_unlock(&c->lock);
  }
  pthread_mutex_destroy(&c->lock);
}
