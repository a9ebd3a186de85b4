// Wrappers and a self-locking setter; their summaries decide the findings in cross_tu_use.c.
#include "resource.h"

// case: support
void res_lock(struct resource* r) {
  pthread_mutex_lock(&r->m);
}

void res_unlock(struct resource* r) {
  pthread_mutex_unlock(&r->m);
}

bool res_try_lock(struct resource* r) {
  return pthread_mutex_trylock(&r->m) == 0;
}

// Locks r->m internally.
void res_set(struct resource* r, int v) {
  pthread_mutex_lock(&r->m);
  r->value = v;
  pthread_mutex_unlock(&r->m);
}
