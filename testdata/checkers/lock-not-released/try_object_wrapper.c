// lock-not-released and try-lock wrappers whose result is an object: memcached's
// assoc_get_iterator() returns an iterator holding the maintenance lock, or NULL when the lock is
// busy; assoc_iterate_final() releases it. The lock is held exactly when the result is not null,
// so the wrapper leaks nothing, and its callers hold the lock only where they got an iterator.
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t maintenance_lock = PTHREAD_MUTEX_INITIALIZER;

struct iterator {
  int bucket;
};

// case: good
void* get_iterator(void) {
  struct iterator* iter = calloc(1, sizeof(struct iterator));
  if (iter == NULL)
    return NULL;
  if (pthread_mutex_trylock(&maintenance_lock) == 0) {
    return iter;
  } else {
    free(iter);
    return NULL;
  }
}

// case: good
void iterate_final(void* iter) {
  pthread_mutex_unlock(&maintenance_lock);
  free(iter);
}

// case: support
void visit(void* iter);

// case: good
int walk(void) {
  void* iter = get_iterator();
  if (iter == NULL)
    return -1;
  visit(iter);
  iterate_final(iter);
  return 0;
}

// case: bad
// Got the iterator, and with it the lock, but never finishes it.
void walk_and_forget(void) {
  void* iter = get_iterator();
  if (!iter)
    return;
  visit(iter);
} // expect: lock-not-released

// case: bad
// Not a wrapper: held with an object on one exit, but also with NULL on another.
void* get_iterator_wrong(int fast) {
  struct iterator* iter = calloc(1, sizeof(struct iterator));
  if (iter == NULL)
    return NULL;
  if (pthread_mutex_trylock(&maintenance_lock) != 0) {
    free(iter);
    return NULL;
  }
  if (fast) {
    free(iter);
    return NULL; // expect: lock-not-released
  }
  return iter;
}
