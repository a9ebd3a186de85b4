// Two threads that hand control to each other with sched_yield. Under threadcheck run every yield
// is one controlled hand-off; natively it measures the kernel's own yield. Each hand-off is timed
// individually and the median is written to argv[1] (clean schedules' output is discarded).
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 20000
static long long samples[2][ROUNDS];

static long long now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void* player(void* arg) {
  long id = (long)arg;
  for (int i = 0; i < ROUNDS; ++i) {
    long long t = now();
    sched_yield();
    // The time until this thread runs again spans two hand-offs (away and back).
    samples[id][i] = (now() - t) / 2;
  }
  return NULL;
}

static int cmp(const void* a, const void* b) {
  long long x = *(const long long*)a, y = *(const long long*)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char** argv) {
  pthread_t a, b;
  pthread_create(&a, NULL, player, (void*)0);
  pthread_create(&b, NULL, player, (void*)1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  qsort(samples[0], ROUNDS, sizeof(long long), cmp);
  FILE* f = fopen(argc > 1 ? argv[1] : "/dev/stdout", "w");
  fprintf(f, "%lld\n", samples[0][ROUNDS / 2]);
  fclose(f);
  return 0;
}
