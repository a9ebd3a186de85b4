// Shared by store_put.c and store_sync.c.
#include <pthread.h>

extern pthread_mutex_t g_store;
extern pthread_mutex_t g_wal;

void wal_append(void);
