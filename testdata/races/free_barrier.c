// Race-free through a barrier: each phase reads what the other thread wrote in the phase before.
#include <pthread.h>
int cells[2];
int sums[2];
pthread_barrier_t barrier;
static void* work(void* arg) {
  int i = (int)(long)arg;
  for (int round = 0; round < 2; ++round) {
    cells[i] = round + i;
    pthread_barrier_wait(&barrier);
    sums[i] += cells[1 - i];
    pthread_barrier_wait(&barrier);
  }
  return NULL;
}
int main(void) {
  pthread_barrier_init(&barrier, NULL, 2);
  pthread_t a, b;
  pthread_create(&a, NULL, work, (void*)0);
  pthread_create(&b, NULL, work, (void*)1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return sums[0] == 3 && sums[1] == 1 ? 0 : 1;
}
