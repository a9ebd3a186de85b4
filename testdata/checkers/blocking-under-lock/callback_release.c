// blocking-under-lock and locks released by a callback. libuv's test-async.c locks a mutex, then
// registers a prepare callback that unlocks it and runs the loop: the loop calls the callback,
// so the mutex is not held while the loop blocks, nor at the join after it. Once a function that
// releases a lock is handed to other code, whether the lock is held is no longer known.
#define _GNU_SOURCE
#include <pthread.h>
#include <unistd.h>

// case: support
static int wake_fd; // a pipe's read end
static char wake;

struct loop;
typedef void (*loop_cb)(struct loop*);

// case: support
// The event loop's API, from a library without sources here.
int loop_add_prepare(struct loop* l, loop_cb cb);
int loop_run(struct loop* l);

static pthread_mutex_t start_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_t worker;
static int started;

// case: support
static void* worker_main(void* arg) {
  (void)arg;
  pthread_mutex_lock(&start_mutex);
  started = 1;
  pthread_mutex_unlock(&start_mutex);
  return NULL;
}

// case: support
// Runs inside loop_run: starts the worker and lets it through.
static void on_prepare(struct loop* l) {
  (void)l;
  pthread_create(&worker, NULL, worker_main, NULL);
  pthread_mutex_unlock(&start_mutex);
}

// case: good
int run_test(struct loop* l) {
  pthread_mutex_lock(&start_mutex);
  if (loop_add_prepare(l, on_prepare) != 0)
    return -1;
  int r = loop_run(l);
  pthread_join(worker, NULL);
  return r;
}

// case: support
static void on_idle(struct loop* l) {
  (void)l;
  started = 0;
}

// case: bad
// The callback handed over releases nothing: the mutex stays held across the join.
int run_test_wrong(struct loop* l) {
  pthread_mutex_lock(&start_mutex);
  if (loop_add_prepare(l, on_idle) != 0) {
    pthread_mutex_unlock(&start_mutex);
    return -1;
  }
  pthread_join(worker, NULL); // expect: blocking-under-lock
  pthread_mutex_unlock(&start_mutex);
  return 0;
}

// case: bad
// Blocking before the releasing callback is handed over.
int run_test_blocks_first(struct loop* l) {
  pthread_mutex_lock(&start_mutex);
  read(wake_fd, &wake, 1); // expect: blocking-under-lock
  if (loop_add_prepare(l, on_prepare) != 0)
    return -1;
  return loop_run(l);
}
