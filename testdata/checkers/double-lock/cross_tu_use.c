// Callers of cross_tu_wrapper.c: the second acquisition happens inside another translation unit.
#include "resource.h"

// case: bad
// The lock wrapper is called twice.
void res_double(struct resource* r) {
  res_lock(r);
  r->value++;
  res_lock(r); // expect: double-lock
  r->value++;
  res_unlock(r);
  res_unlock(r);
}

// case: bad
// res_set() locks internally and is called while the wrapper's lock is held.
void res_reset(struct resource* r) {
  res_lock(r);
  res_set(r, 0); // expect: double-lock
  res_unlock(r);
}

// case: bad
// The try-lock wrapper succeeded, then the value is set through the self-locking setter.
void res_try_reset(struct resource* r) {
  if (res_try_lock(r)) {
    res_set(r, 0); // expect: double-lock
    res_unlock(r);
  }
}

// case: good
// Try-lock wrapper failed: taking the lock the blocking way is correct.
void res_lock_counting(struct resource* r, int* contended) {
  if (!res_try_lock(r)) {
    ++*contended;
    res_lock(r);
  }
  r->value++;
  res_unlock(r);
}

// case: good
// Unlock wrapper, then the self-locking setter: no lock is held at the call.
void res_update_then_set(struct resource* r, int v) {
  res_lock(r);
  int old = r->value;
  res_unlock(r);
  if (old != v)
    res_set(r, v);
}
