// join-not-joinable: creations checked through an assignment to a result variable, the way C
// libraries write it (`if ((rc = pthread_create(...)) != 0)`, `rc = ...; if (rc)`): none of them
// joins a handle that may hold no thread (the unchecked ones are in
// ../thread-create-unchecked/create_assign.c).
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <threads.h>

// case: support
static void* worker_main(void* arg) {
  int* v = arg;
  ++*v;
  return NULL;
}

static int worker_c11(void* arg) {
  int* v = arg;
  return ++*v;
}

// case: good
// The result is stored and tested in one condition; the failure returns.
int run_worker(int* v) {
  pthread_t tid;
  int rc;
  if ((rc = pthread_create(&tid, NULL, worker_main, v)) != 0) {
    errno = rc;
    return -1;
  }
  pthread_join(tid, NULL);
  return 0;
}

// case: good
// Constant on the left, as some style guides ask.
int run_worker_yoda(int* v) {
  pthread_t tid;
  int err;
  if (0 != (err = pthread_create(&tid, NULL, worker_main, v)))
    return err;
  return pthread_join(tid, NULL);
}

// case: good
// The result as a truth value, and the failure leaves through a goto.
int run_worker_goto(int* v) {
  pthread_t tid;
  int err;
  if ((err = pthread_create(&tid, NULL, worker_main, v)))
    goto fail;
  pthread_join(tid, NULL);
  return 0;
fail:
  fprintf(stderr, "pthread_create: %d\n", err);
  return err;
}

// case: good
// The result stored first, tested as a truth value on the next line.
int run_worker_split(int* v) {
  pthread_t tid;
  int rc;
  rc = pthread_create(&tid, NULL, worker_main, v);
  if (rc)
    return rc;
  pthread_join(tid, NULL);
  return 0;
}

// case: good
// A retry loop: creation is tried again while it fails for lack of resources, then checked.
int run_worker_retry(int* v) {
  pthread_t tid;
  int rc;
  while ((rc = pthread_create(&tid, NULL, worker_main, v)) == EAGAIN)
    sched_yield();
  if (rc != 0)
    return rc;
  pthread_join(tid, NULL);
  return 0;
}

// case: good
// C11 threads: thrd_create's result compared with thrd_success through the assignment.
int run_worker_c11(int* v) {
  thrd_t th;
  int rc;
  if ((rc = thrd_create(&th, worker_c11, v)) != thrd_success)
    return rc;
  int res = 0;
  thrd_join(th, &res);
  return res;
}

// case: good
// The success branch joins; the result kept for the caller.
int run_worker_ok_branch(int* v) {
  pthread_t tid;
  int rc;
  if ((rc = pthread_create(&tid, NULL, worker_main, v)) == 0)
    rc = pthread_join(tid, NULL);
  return rc;
}
