// The semaphore is posted before the data is written.
// race: global 'frame'
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
int frame;
sem_t filled;
static void* camera(void* arg) {
  (void)arg;
  sem_post(&filled);
  frame = 3;
  return NULL;
}
int main(void) {
  sem_init(&filled, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, camera, NULL);
  sem_wait(&filled);
  printf("%d\n", frame >= 0);
  pthread_join(t, NULL);
  return 0;
}
