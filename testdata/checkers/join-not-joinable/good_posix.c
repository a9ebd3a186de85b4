// join-not-joinable: POSIX and C11 joins and detaches that each name a live, joinable thread.
#include <pthread.h>
#include <stdio.h>
#include <threads.h>

struct batch {
  pthread_t tids[8];
  int started;
  int values[8];
};

struct monitor {
  pthread_t tid;
  int running;
};

// case: support
static void* square(void* arg) {
  int* v = arg;
  *v *= *v;
  return NULL;
}

static int square_c11(void* arg) {
  int* v = arg;
  return *v * *v;
}

// case: good
// Joined after a successful create; the failure returns without touching the handle.
int square_one(int* v) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, square, v) != 0)
    return -1;
  pthread_join(tid, NULL);
  return *v;
}

// case: good
// The create result is kept in a variable and tested before the join.
int square_rc(int* v) {
  pthread_t tid;
  int rc = pthread_create(&tid, NULL, square, v);
  if (rc == 0)
    pthread_join(tid, NULL);
  else
    square(v);
  return *v;
}

// case: good
// The started flag follows the create result; the join happens only when it is set.
int square_maybe_parallel(int* v, int parallel) {
  pthread_t tid;
  int started = 0;
  if (parallel && pthread_create(&tid, NULL, square, v) == 0)
    started = 1;
  if (!started)
    square(v);
  if (started)
    pthread_join(tid, NULL);
  return *v;
}

// case: good
// A create and a join per iteration, on one handle variable.
void square_each(int* values, int n) {
  pthread_t tid;
  for (int i = 0; i < n; ++i) {
    if (pthread_create(&tid, NULL, square, &values[i]) != 0)
      continue;
    pthread_join(tid, NULL);
  }
}

// case: good
// A batch joined up to the number of threads that actually started.
int batch_run(struct batch* b, int n) {
  b->started = 0;
  for (int i = 0; i < n && i < 8; ++i) {
    if (pthread_create(&b->tids[i], NULL, square, &b->values[i]) != 0)
      break;
    b->started++;
  }
  for (int i = 0; i < b->started; ++i)
    pthread_join(b->tids[i], NULL);
  return b->started;
}

// case: good
// Detached once, right after creation.
int square_detached(int* heap_value) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, square, heap_value) != 0)
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: good
// A handle stored in a struct: its history is not visible here, and the flag says it runs.
void monitor_stop(struct monitor* m) {
  if (!m->running)
    return;
  pthread_join(m->tid, NULL);
  m->running = 0;
}

// case: good
// The same handle variable holds a second thread after the first was joined.
int square_two(int* a, int* b) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, square, a) != 0)
    return -1;
  pthread_join(tid, NULL);
  if (pthread_create(&tid, NULL, square, b) != 0)
    return -1;
  pthread_join(tid, NULL);
  return *a + *b;
}

// case: good
// A joinable attribute, then one join.
int square_attr_joinable(int* v) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, square, v);
  pthread_attr_destroy(&attr);
  if (rc != 0)
    return -1;
  pthread_join(tid, NULL);
  return *v;
}

// case: good
// pthread_self() compared with a stored id, never joined.
int is_monitor_thread(const struct monitor* m) {
  return pthread_equal(pthread_self(), m->tid);
}

// case: good
// C11: joined once after a successful create.
int c11_square(int v) {
  thrd_t th;
  if (thrd_create(&th, square_c11, &v) != thrd_success)
    return -1;
  int res = 0;
  thrd_join(th, &res);
  return res;
}

// case: good
// C11: the thread is detached once; the argument is the caller's heap object.
int c11_square_detached(int* heap_value) {
  thrd_t th;
  if (thrd_create(&th, square_c11, heap_value) != thrd_success)
    return -1;
  thrd_detach(th);
  return 0;
}
