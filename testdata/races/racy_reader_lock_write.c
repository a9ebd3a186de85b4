// Two threads write under a read lock, which excludes only writers.
// race: global 'cache_hits'
#include <pthread.h>
long cache_hits;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static void* lookup(void* arg) {
  (void)arg;
  pthread_rwlock_rdlock(&rw);
  cache_hits++;
  pthread_rwlock_unlock(&rw);
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, lookup, NULL);
  pthread_create(&b, NULL, lookup, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
