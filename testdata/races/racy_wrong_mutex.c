// Each thread takes its own mutex around the shared update: no mutual exclusion.
// race: global 'total'
#include <pthread.h>
long total;
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static void* work(void* arg) {
  (void)arg;
  pthread_mutex_lock(&lock_b);
  total += 1;
  pthread_mutex_unlock(&lock_b);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  pthread_mutex_lock(&lock_a);
  total += 2;
  pthread_mutex_unlock(&lock_a);
  pthread_join(t, NULL);
  return 0;
}
