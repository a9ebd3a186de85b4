// Lock, unlock and try-lock wrappers: each returns in a known lock state on every path, so none of
// them is a finding here; they become summaries that check their callers in cross_tu_use.c.
#include "resource.h"

// case: good
// A lock wrapper: returns holding the caller's mutex on every path.
void res_lock(struct resource* r) {
  pthread_mutex_lock(&r->m);
}

// case: good
// An unlock wrapper: releases a lock it did not take.
void res_unlock(struct resource* r) {
  pthread_mutex_unlock(&r->m);
}

// case: good
// A try-lock wrapper: holds the lock exactly when it returns true.
bool res_try_acquire(struct resource* r) {
  return pthread_mutex_trylock(&r->m) == 0;
}
