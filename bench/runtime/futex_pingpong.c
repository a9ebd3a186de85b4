// The floor for a controlled hand-off: two threads pinned to one CPU passing a turn through raw
// futex words, exactly the mechanism the runtime uses, without any scheduling logic. Prints the
// median time of one hand-off in nanoseconds.
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 20000
static _Atomic unsigned turn[2];
static long long samples[ROUNDS];

static long long now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void pass(int from, int to) {
  atomic_store(&turn[from], 0);
  atomic_store(&turn[to], 1);
  syscall(SYS_futex, &turn[to], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  while (atomic_load(&turn[from]) == 0)
    syscall(SYS_futex, &turn[from], FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void* other(void* arg) {
  (void)arg;
  while (atomic_load(&turn[1]) == 0)
    syscall(SYS_futex, &turn[1], FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
  for (int i = 0; i < ROUNDS; ++i)
    pass(1, 0);
  return NULL;
}

static int cmp(const void* a, const void* b) {
  long long x = *(const long long*)a, y = *(const long long*)b;
  return x < y ? -1 : x > y;
}

int main(void) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(0, &set);
  sched_setaffinity(0, sizeof set, &set);
  turn[0] = 1;
  pthread_t t;
  pthread_create(&t, NULL, other, NULL);
  for (int i = 0; i < ROUNDS; ++i) {
    long long t0 = now();
    pass(0, 1);
    samples[i] = (now() - t0) / 2;
  }
  atomic_store(&turn[1], 1);
  syscall(SYS_futex, &turn[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
  pthread_join(t, NULL);
  qsort(samples, ROUNDS, sizeof(long long), cmp);
  printf("%lld\n", samples[ROUNDS / 2]);
  return 0;
}
