// Unprotected check-then-act with nothing in between: two threads sell the last ticket. Only a
// preemption between the check and the act (instrumented mode) exposes it.
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static int tickets = 1;
static int sold = 0;

static void* buyer(void* arg) {
  (void)arg;
  if (tickets > 0) {
    tickets--;
    sold++;
  }
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, buyer, NULL);
  pthread_create(&b, NULL, buyer, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("sold %d tickets\n", sold);
  assert(sold <= 1 && "oversold the last ticket");
  return 0;
}
