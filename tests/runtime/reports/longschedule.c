// A schedule that runs far longer than a test's --time-budget (a worker computing for minutes,
// main joining it): the budget must stop it, and that is no finding.
#include <pthread.h>
#include <stdio.h>

static volatile unsigned long sink;

static void* compute(void* arg) {
  (void)arg;
  for (unsigned long i = 0; i < (1ul << 40); ++i)
    sink += i;
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, compute, NULL);
  pthread_join(t, NULL);
  printf("%lu\n", sink);
  return 0;
}
