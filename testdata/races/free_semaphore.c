// Race-free through a POSIX semaphore hand-off.
#include <pthread.h>
#include <semaphore.h>
int frame;
sem_t filled;
static void* camera(void* arg) {
  (void)arg;
  frame = 3;
  sem_post(&filled);
  return NULL;
}
int main(void) {
  sem_init(&filled, 0, 0);
  pthread_t t;
  pthread_create(&t, NULL, camera, NULL);
  sem_wait(&filled);
  int f = frame;
  pthread_join(t, NULL);
  return f == 3 ? 0 : 1;
}
