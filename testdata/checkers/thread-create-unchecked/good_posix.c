// thread-create-unchecked: creations whose result is tested before the handle is used.
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <threads.h>

struct task {
  int input;
  int output;
};

// case: support
static void* run_task(void* arg) {
  struct task* t = arg;
  t->output = t->input * 2;
  return NULL;
}

static int run_task_c11(void* arg) {
  struct task* t = arg;
  return t->input - 1;
}

// case: good
// The usual shape: return on failure, join on success.
int task_checked(struct task* t) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_task, t) != 0)
    return -1;
  pthread_join(tid, NULL);
  return t->output;
}

// case: good
// The result kept in a variable and tested later.
int task_result_tested_later(struct task* t) {
  pthread_t tid;
  int rc = pthread_create(&tid, NULL, run_task, t);
  if (rc != 0) {
    fprintf(stderr, "pthread_create: %d\n", rc);
    return -1;
  }
  pthread_join(tid, NULL);
  return t->output;
}

// case: good
// A started flag set from the result: joined only when the thread exists.
int task_started_flag(struct task* t, bool background) {
  pthread_t tid;
  bool started = false;
  if (background)
    started = pthread_create(&tid, NULL, run_task, t) == 0;
  if (!started)
    run_task(t);
  if (started)
    pthread_join(tid, NULL);
  return t->output;
}

// case: good
// Created detached after a checked create; C11 with thrd_success.
int task_detached(struct task* t) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_task, t) != 0)
    return -1;
  return pthread_detach(tid);
}

// case: good
int c11_task_checked(struct task* t) {
  thrd_t th;
  if (thrd_create(&th, run_task_c11, t) != thrd_success)
    return -1;
  int res = 0;
  thrd_join(th, &res);
  return res;
}

// case: good
// A pool: the workers that were created are joined, the loop stops at the first failure.
int pool_run(struct task* tasks, int n) {
  pthread_t tids[8];
  int created = 0;
  for (int i = 0; i < n && i < 8; ++i) {
    if (pthread_create(&tids[i], NULL, run_task, &tasks[i]) != 0)
      break;
    ++created;
  }
  for (int i = 0; i < created; ++i)
    pthread_join(tids[i], NULL);
  return created;
}
