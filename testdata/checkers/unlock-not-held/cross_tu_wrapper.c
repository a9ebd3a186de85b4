// Lock/unlock/try-lock wrappers and a function that releases its caller's lock.
#include "resource.h"

// case: good
// Unlock wrapper: releasing a caller's mutex it did not take is its whole purpose.
void res_unlock(struct resource* r) {
  pthread_mutex_unlock(&r->m);
}

// case: support
void res_lock(struct resource* r) {
  pthread_mutex_lock(&r->m);
}

bool res_try_lock(struct resource* r) {
  return pthread_mutex_trylock(&r->m) == 0;
}

// case: good
// Stores a value and releases the lock the caller took.
void res_commit(struct resource* r, int v) {
  r->value = v;
  pthread_mutex_unlock(&r->m);
}
