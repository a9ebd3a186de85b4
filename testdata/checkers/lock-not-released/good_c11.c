// lock-not-released: correct C11 <threads.h> code.
#include <threads.h>

struct gauge {
  mtx_t m;
  int value;
};

// case: good
// mtx_trylock == thrd_success: the lock is only held in the branch that unlocks it.
int gauge_try_set(struct gauge* g, int v) {
  if (mtx_trylock(&g->m) == thrd_success) {
    g->value = v;
    mtx_unlock(&g->m);
    return 1;
  }
  return 0;
}

// case: good
// A recursive C11 mutex (mtx_plain | mtx_recursive) taken twice and released twice.
int gauge_nested(void) {
  mtx_t m;
  if (mtx_init(&m, mtx_plain | mtx_recursive) != thrd_success)
    return -1;
  mtx_lock(&m);
  mtx_lock(&m);
  mtx_unlock(&m);
  mtx_unlock(&m);
  mtx_destroy(&m);
  return 0;
}
