// Race-free through a pthread mutex.
#include <pthread.h>
#include <stdio.h>
long total;
pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void* work(void* arg) {
  (void)arg;
  for (int i = 0; i < 3; ++i) {
    pthread_mutex_lock(&lock);
    total += 1;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("%ld\n", total);
  return 0;
}
