// Destroying a resource's mutex after the wrappers of cross_tu_wrapper.c.
#include "resource.h"

#include <stdlib.h>

// case: bad
// res_lock() returns holding r->m (another translation unit); nothing releases it before destroy.
void res_free(struct resource* r) {
  res_lock(r);
  r->value = 0;
  pthread_mutex_destroy(&r->m); // expect: mutex-destroyed-locked
  free(r);
}

// case: good
// Released through the unlock wrapper before the destroy.
void res_free_properly(struct resource* r) {
  res_lock(r);
  r->value = 0;
  res_unlock(r);
  pthread_mutex_destroy(&r->m);
  free(r);
}
