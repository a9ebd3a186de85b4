// Each round writes a slot, meets at the barrier, reads the neighbour's slot, and meets again
// before anyone writes the next round's value.
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

#define N 2
#define ROUNDS 3
static int slot[N];
static pthread_barrier_t barrier;

static void* worker(void* arg) {
  int me = (int)(long)arg;
  for (int round = 1; round <= ROUNDS; ++round) {
    slot[me] = round;
    pthread_barrier_wait(&barrier);
    int seen = slot[(me + 1) % N];
    assert(seen == round && "read a value from another round");
    pthread_barrier_wait(&barrier);
  }
  return NULL;
}

int main(void) {
  pthread_t t[N];
  pthread_barrier_init(&barrier, NULL, N);
  for (long i = 0; i < N; ++i)
    pthread_create(&t[i], NULL, worker, (void*)i);
  for (int i = 0; i < N; ++i)
    pthread_join(t[i], NULL);
  pthread_barrier_destroy(&barrier);
  puts("done");
  return 0;
}
