// double-lock: C11 recursive mutexes.
#include <threads.h>

static mtx_t g_mtx;
static int g_level;

// case: good
// Made recursive at init.
int level_init(void) {
  return mtx_init(&g_mtx, mtx_plain | mtx_recursive) == thrd_success ? 0 : -1;
}

// case: good
// Recursion through a mutex initialised with mtx_recursive.
int level_descend(int n) {
  mtx_lock(&g_mtx);
  int depth = n > 0 ? level_descend(n - 1) + 1 : g_level;
  mtx_unlock(&g_mtx);
  return depth;
}

// case: good
// A timed recursive C11 mutex taken twice.
int timed_recursive_twice(void) {
  mtx_t m;
  if (mtx_init(&m, mtx_timed | mtx_recursive) != thrd_success)
    return -1;
  mtx_lock(&m);
  mtx_lock(&m);
  mtx_unlock(&m);
  mtx_unlock(&m);
  mtx_destroy(&m);
  return 0;
}
