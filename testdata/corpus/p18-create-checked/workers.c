// Creation checked through an assignment before the join.
#include <pthread.h>
#include <stdio.h>

static void* work(void* arg) { return arg; }

// case: good
int run_two(void) {
  pthread_t a, b;
  int rc;
  if ((rc = pthread_create(&a, NULL, work, NULL)) != 0) {
    fprintf(stderr, "create: %d\n", rc);
    return rc;
  }
  if ((rc = pthread_create(&b, NULL, work, NULL)) != 0) {
    pthread_join(a, NULL);
    return rc;
  }
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}

// case: good
int run_pool(pthread_t* ts, int n) {
  int started = 0;
  int rc = 0;
  for (; started < n; started++) {
    rc = pthread_create(&ts[started], NULL, work, NULL);
    if (rc != 0)
      break;
  }
  for (int i = 0; i < started; i++)
    pthread_join(ts[i], NULL);
  return rc;
}

// case: bad
// Neither joined nor detached on the early return.
int run_leaky(int fail) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  if (fail)
    return -2; // expect: thread-not-joined
  pthread_join(t, NULL);
  return 0;
}
