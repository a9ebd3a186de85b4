// thread-create-unchecked (off by default; this folder runs with --checks=*): pthread_join,
// pthread_detach, thrd_join or thrd_detach of a handle on a path where its creation may have
// failed. The handle then holds no thread: joining or detaching it is undefined behaviour (glibc
// may crash on the garbage handle, or join an unrelated thread whose id it happens to hold).
#include <pthread.h>
#include <stdio.h>
#include <threads.h>

struct job {
  int input;
  int output;
};

// case: support
static void* run_job(void* arg) {
  struct job* j = arg;
  j->output = j->input + 1;
  return NULL;
}

static int run_job_c11(void* arg) {
  struct job* j = arg;
  return j->input * 3;
}

// case: bad
// The error branch of a failed create "cleans up" a thread that does not exist.
int job_cleanup_on_failure(struct job* j) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_job, j) != 0) {
    pthread_join(tid, NULL); // expect: thread-create-unchecked
    return -1;
  }
  pthread_join(tid, NULL);
  return j->output;
}

// case: bad
// The create failure is logged, and the code carries on to join a thread that does not exist.
int job_logged_failure(struct job* j) {
  pthread_t tid;
  int rc = pthread_create(&tid, NULL, run_job, j);
  if (rc != 0)
    fprintf(stderr, "job: pthread_create failed: %d\n", rc);
  pthread_join(tid, NULL); // expect: thread-create-unchecked
  return j->output;
}

// case: bad
// Fire and forget: the result of pthread_create is ignored and the handle detached at once.
void job_fire_and_forget(struct job* j) {
  pthread_t tid;
  pthread_create(&tid, NULL, run_job, j);
  pthread_detach(tid); // expect: thread-create-unchecked
}

// case: bad
// C11: the failure branch joins a thread that was never created.
int c11_job_join_on_failure(struct job* j) {
  thrd_t th;
  if (thrd_create(&th, run_job_c11, j) != thrd_success) {
    thrd_join(th, NULL); // expect: thread-create-unchecked
    return -1;
  }
  int res = 0;
  thrd_join(th, &res);
  return res;
}

// case: bad
// The same mistake as join-not-joinable reports it still is, in the same function: joined twice
// after a checked creation (join-not-joinable), and joined on the unchecked path of a second one.
int job_pair(struct job* a, struct job* b) {
  pthread_t ta, tb;
  if (pthread_create(&ta, NULL, run_job, a) != 0)
    return -1;
  pthread_join(ta, NULL);
  pthread_join(ta, NULL); // expect: join-not-joinable
  int rc = pthread_create(&tb, NULL, run_job, b);
  (void)rc;
  pthread_join(tb, NULL); // expect: thread-create-unchecked
  return a->output + b->output;
}
