// Callers of the wrappers in cross_tu_wrapper.c: the lock is taken in another translation unit.
#include "resource.h"

// case: bad
// res_lock() returns holding r->m; the validation return never calls res_unlock().
int res_update(struct resource* r, int v) {
  res_lock(r);
  if (v < 0)
    return -1; // expect: lock-not-released
  r->value = v;
  res_unlock(r);
  return 0;
}

// case: bad
// A successful try-acquire through the wrapper is leaked when the value is unchanged.
int res_try_update(struct resource* r, int v) {
  if (!res_try_acquire(r))
    return 1;
  if (r->value == v)
    return 0; // expect: lock-not-released
  r->value = v;
  res_unlock(r);
  return 0;
}

// case: good
// Wrapper pair used correctly on every path, including the early return after the unlock.
int res_set_positive(struct resource* r, int v) {
  res_lock(r);
  if (v <= 0) {
    res_unlock(r);
    return -1;
  }
  r->value = v;
  res_unlock(r);
  return 0;
}

// case: good
// Try-acquire wrapper in a condition: the lock is held only inside the if.
int res_poll(struct resource* r) {
  int seen = -1;
  if (res_try_acquire(r)) {
    seen = r->value;
    res_unlock(r);
  }
  return seen;
}

// case: good
// A caller that is itself a lock wrapper: returns holding r->m on every path, with the value reset.
void res_lock_fresh(struct resource* r) {
  res_lock(r);
  r->value = 0;
}
