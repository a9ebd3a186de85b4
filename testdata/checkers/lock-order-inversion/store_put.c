// lock-order-inversion across files: g_store then g_wal (through wal_append) here...
#include "store.h"

pthread_mutex_t g_store = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_wal = PTHREAD_MUTEX_INITIALIZER;

// case: support
// Takes g_wal on its own.
void wal_append(void) {
  pthread_mutex_lock(&g_wal);
  pthread_mutex_unlock(&g_wal);
}

// case: bad
// g_store held while wal_append takes g_wal; store_sync.c takes g_wal, then g_store.
void store_put(void) {
  pthread_mutex_lock(&g_store);
  wal_append(); // expect: lock-order-inversion
  pthread_mutex_unlock(&g_store);
}
