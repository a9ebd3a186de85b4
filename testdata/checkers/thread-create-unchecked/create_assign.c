// thread-create-unchecked: creations whose result is stored in a variable but not tested before
// the join (the checked forms are in ../join-not-joinable/create_assign.c and stay quiet).
#include <pthread.h>
#include <stdio.h>

// case: support
static void* worker_main(void* arg) {
  int* v = arg;
  ++*v;
  return NULL;
}

// case: bad
// The failure is logged but the function goes on to join a handle that holds no thread.
int run_worker_logged(int* v) {
  pthread_t tid;
  int rc;
  if ((rc = pthread_create(&tid, NULL, worker_main, v)) != 0)
    fprintf(stderr, "pthread_create failed: %d\n", rc);
  pthread_join(tid, NULL); // expect: thread-create-unchecked
  return rc;
}

// case: bad
// The result is stored but never tested before the join.
int run_worker_ignored(int* v) {
  pthread_t tid;
  int rc;
  rc = pthread_create(&tid, NULL, worker_main, v);
  pthread_join(tid, NULL); // expect: thread-create-unchecked
  return rc;
}
