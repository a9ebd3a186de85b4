// Callers of cross_tu_wrapper.c.
#include "resource.h"

// case: bad
// res_commit() already released r->m; the unlock wrapper then releases it again.
void res_store(struct resource* r, int v) {
  res_lock(r);
  res_commit(r, v);
  res_unlock(r); // expect: unlock-not-held
}

// case: bad
// The unlock wrapper is called on the path where the try-lock wrapper failed.
int res_try_read(struct resource* r) {
  int v = -1;
  if (res_try_lock(r))
    v = r->value;
  res_unlock(r); // expect: unlock-not-held
  return v;
}

// case: good
// Lock wrapper paired with the committing callee: exactly one release.
void res_store_once(struct resource* r, int v) {
  res_lock(r);
  res_commit(r, v);
}

// case: good
// Try-lock wrapper: unlocked only when it succeeded.
int res_try_peek(struct resource* r) {
  if (!res_try_lock(r))
    return -1;
  int v = r->value;
  res_unlock(r);
  return v;
}
