// ...and g_wal then g_store here.
#include "store.h"

// case: support
// The other order, in another translation unit (reported in store_put.c).
void store_sync(void) {
  pthread_mutex_lock(&g_wal);
  pthread_mutex_lock(&g_store);
  pthread_mutex_unlock(&g_store);
  pthread_mutex_unlock(&g_wal);
}
