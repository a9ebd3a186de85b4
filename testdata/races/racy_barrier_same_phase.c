// Two threads write the same cell in the same barrier phase.
// race: global 'cell'
#include <pthread.h>
int cell;
pthread_barrier_t barrier;
static void* work(void* arg) {
  cell = (int)(long)arg;
  pthread_barrier_wait(&barrier);
  return NULL;
}
int main(void) {
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_t a, b;
  pthread_create(&a, NULL, work, (void*)1);
  pthread_create(&b, NULL, work, (void*)2);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
