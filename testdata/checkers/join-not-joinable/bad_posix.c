// join-not-joinable: pthread_join/pthread_detach and thrd_join/thrd_detach on a handle that does
// not name a joinable thread: joined or detached before, created detached, or the calling thread
// itself (a creation that may have failed is thread-create-unchecked's, off by default). POSIX
// leaves these undefined (glibc may crash or return ESRCH, EINVAL or EDEADLK); a double join of a
// recycled thread id can even join an unrelated thread.
#include <pthread.h>
#include <stdio.h>
#include <threads.h>

struct task {
  int input;
  int output;
};

// case: support
static void* run_task(void* arg) {
  struct task* t = arg;
  t->output = t->input + 1;
  return NULL;
}

static int run_task_c11(void* arg) {
  struct task* t = arg;
  return t->input * 3;
}

// case: bad
// The result is collected twice: once in the helper branch, once at the end.
int task_twice(struct task* t, int verbose) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_task, t) != 0)
    return -1;
  if (verbose) {
    pthread_join(tid, NULL);
    printf("task -> %d\n", t->output);
  }
  pthread_join(tid, NULL); // expect: join-not-joinable
  return t->output;
}

// case: bad
// Detached, then joined anyway.
int task_detached_then_joined(struct task* t) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_task, t) != 0)
    return -1;
  pthread_detach(tid);
  pthread_join(tid, NULL); // expect: join-not-joinable
  return 0;
}

// case: bad
// Detaching twice.
int task_detach_twice(struct task* t) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_task, t) != 0)
    return -1;
  pthread_detach(tid);
  puts("detached");
  pthread_detach(tid); // expect: join-not-joinable
  return 0;
}

// case: bad
// A thread created detached through its attribute cannot be joined.
int task_attr_detached(struct task* t) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, run_task, t);
  pthread_attr_destroy(&attr);
  if (rc != 0)
    return -1;
  pthread_join(tid, NULL); // expect: join-not-joinable
  return t->output;
}

// case: bad
// Joining the calling thread: EDEADLK at best, a hang in some implementations.
void wait_for_everything(void) {
  pthread_join(pthread_self(), NULL); // expect: join-not-joinable
}

// case: bad
// C11: thrd_join twice.
int c11_task_twice(struct task* t) {
  thrd_t th;
  if (thrd_create(&th, run_task_c11, t) != thrd_success)
    return -1;
  int res = 0;
  thrd_join(th, &res);
  thrd_join(th, &res); // expect: join-not-joinable
  return res;
}

// case: bad
// C11: joined after thrd_detach.
int c11_detach_then_join(struct task* t) {
  thrd_t th;
  if (thrd_create(&th, run_task_c11, t) != thrd_success)
    return -1;
  thrd_detach(th);
  return thrd_join(th, NULL); // expect: join-not-joinable
}
