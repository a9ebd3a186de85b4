// Race-directed scheduling: a check-then-act race on the last ticket, preceded in each thread by a
// few hundred race-free accesses to its own buffer. Scheduling at every access must find the one
// preemption that matters among all of them; race-directed scheduling only preempts at the racy
// accesses.
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static int tickets = 1;
static int sold;
static int scratch[2][256];

static void* buyer(void* arg) {
  int* mine = scratch[(long)arg];
  for (int i = 0; i < 256; ++i)
    mine[i] = i;
  if (tickets > 0) {
    tickets--;
    sold++;
  }
  for (int i = 0; i < 256; ++i)
    mine[i] += sold;
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, buyer, (void*)0);
  pthread_create(&b, NULL, buyer, (void*)1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("sold %d\n", sold);
  assert(sold <= 1 && "oversold the last ticket");
  return 0;
}
