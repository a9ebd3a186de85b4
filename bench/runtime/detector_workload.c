// Race-detector workload: two threads each fill and sum a private heap array many times and add
// their result to a shared total under a mutex. Almost every access is instrumented and checked;
// the program is race-free, so both detectors do the same work and report nothing. The number of
// rounds (argument 1, default 200) scales the work without changing the start-up cost, so that
// the detector's cost per access can be told from the tools' fixed costs.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kElems = 4096 };
static int rounds = 200;
static long total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void* work(void* arg) {
  long seed = (long)arg;
  int* a = malloc(kElems * sizeof *a);
  for (int r = 0; r < rounds; ++r) {
    long sum = 0;
    for (int i = 0; i < kElems; ++i)
      a[i] = (int)(i ^ seed ^ r);
    for (int i = 0; i < kElems; ++i)
      sum += a[i];
    pthread_mutex_lock(&lock);
    total += sum;
    pthread_mutex_unlock(&lock);
  }
  free(a);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc > 1)
    rounds = atoi(argv[1]);
  pthread_t t1, t2;
  pthread_create(&t1, NULL, work, (void*)1);
  pthread_create(&t2, NULL, work, (void*)2);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  printf("%ld\n", total);
  return 0;
}
