// Lock and unlock wrappers: the destroy decisions in cross_tu_use.c depend on their summaries.
#include "resource.h"

// case: support
void res_lock(struct resource* r) {
  pthread_mutex_lock(&r->m);
}

void res_unlock(struct resource* r) {
  pthread_mutex_unlock(&r->m);
}
