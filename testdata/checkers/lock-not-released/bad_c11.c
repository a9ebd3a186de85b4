// lock-not-released: C11 <threads.h> mutexes.
#include <limits.h>
#include <threads.h>

struct counter {
  mtx_t m;
  int value;
};

// case: bad
// Overflow check returns with the counter locked.
int counter_inc(struct counter* c) {
  mtx_lock(&c->m);
  if (c->value == INT_MAX)
    return -1; // expect: lock-not-released
  ++c->value;
  mtx_unlock(&c->m);
  return 0;
}

// case: bad
// mtx_trylock succeeded (thrd_success); the negative-delta path leaks it.
int counter_try_add(struct counter* c, int delta) {
  if (mtx_trylock(&c->m) != thrd_success)
    return -1;
  if (delta < 0)
    return -2; // expect: lock-not-released
  c->value += delta;
  mtx_unlock(&c->m);
  return 0;
}
