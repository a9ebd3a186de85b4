// C scoped-lock macros: a for statement whose init locks and whose increment unlocks, with a flag
// that ends the loop after one pass (the WITH_LOCK idiom of several C libraries).
#include <pthread.h>

#define WITH_LOCK(m) \
  for (int _once = (pthread_mutex_lock(m), 1); _once; _once = 0, pthread_mutex_unlock(m))

struct registry {
  pthread_mutex_t mu;
  int count;
  int items[64];
};

// case: good
void registry_add(struct registry* r, int v) {
  WITH_LOCK(&r->mu) {
    if (r->count < 64)
      r->items[r->count++] = v;
  }
}

// case: good
int registry_count(struct registry* r) {
  int n = 0;
  WITH_LOCK(&r->mu) n = r->count;
  return n;
}

// case: good
// The same written out, with a flag set on the path.
int registry_find(struct registry* r, int v) {
  int found = -1;
  int done = 0;
  pthread_mutex_lock(&r->mu);
  for (int i = 0; i < r->count && !done; i++) {
    if (r->items[i] == v) {
      found = i;
      done = 1;
    }
  }
  pthread_mutex_unlock(&r->mu);
  return found;
}

// case: bad
// Returning from inside the scoped block skips the increment: the lock stays held.
int registry_first(struct registry* r) {
  WITH_LOCK(&r->mu) {
    if (r->count > 0)
      return r->items[0]; // expect: lock-not-released
  }
  return -1;
}
