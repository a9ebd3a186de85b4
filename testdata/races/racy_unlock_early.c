// The update happens after the unlock.
// race: global 'hits'
#include <pthread.h>
int hits;
pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void* work(void* arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  pthread_mutex_unlock(&lock);
  hits++;
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
