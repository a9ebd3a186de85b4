// A connection pool shared by pool_take.c and pool_stats.c.
#include <pthread.h>

struct pool {
  pthread_mutex_t lock;
  pthread_mutex_t stats_lock;
  pthread_cond_t freed;
  int free_count;
  int waiters;
};

int pool_take(struct pool* p);
int pool_wait_idle(struct pool* p);
