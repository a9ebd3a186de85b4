// cv-mixed-mutexes: POSIX and C11 condition variables used with one mutex each.
#include <pthread.h>
#include <threads.h>
#include <time.h>

struct buffer {
  pthread_mutex_t lock;
  pthread_cond_t not_empty;
  pthread_cond_t not_full;
  int count;
  int capacity;
};

// case: good
// Two condition variables, one mutex.
void buffer_put(struct buffer* b) {
  pthread_mutex_lock(&b->lock);
  while (b->count == b->capacity)
    pthread_cond_wait(&b->not_full, &b->lock);
  b->count++;
  pthread_cond_signal(&b->not_empty);
  pthread_mutex_unlock(&b->lock);
}
void buffer_get(struct buffer* b) {
  pthread_mutex_lock(&b->lock);
  while (b->count == 0)
    pthread_cond_wait(&b->not_empty, &b->lock);
  b->count--;
  pthread_cond_signal(&b->not_full);
  pthread_mutex_unlock(&b->lock);
}

// case: good
// A timed wait and a plain wait on the same pair.
int buffer_get_until(struct buffer* b, const struct timespec* deadline) {
  int rc = 0;
  pthread_mutex_lock(&b->lock);
  while (b->count == 0 && rc == 0)
    rc = pthread_cond_timedwait(&b->not_empty, &b->lock, deadline);
  if (b->count > 0)
    b->count--;
  pthread_mutex_unlock(&b->lock);
  return rc;
}

// case: good
// A generic wait helper over pointers: the parameters are not declarations of any condition
// variable or mutex.
void wait_flag(pthread_cond_t* cv, pthread_mutex_t* m, const int* flag) {
  while (!*flag)
    pthread_cond_wait(cv, m);
}

static pthread_mutex_t s_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cv = PTHREAD_COND_INITIALIZER;
static int s_ready;

// case: good
// A file-local condition variable; other_unit.c has its own, with another mutex.
void await_local_ready(void) {
  pthread_mutex_lock(&s_lock);
  while (!s_ready)
    pthread_cond_wait(&s_cv, &s_lock);
  pthread_mutex_unlock(&s_lock);
}

struct task {
  mtx_t m;
  cnd_t done_cv;
  int done;
};

// case: good
// C11 waits with one mtx_t.
void task_await(struct task* t) {
  mtx_lock(&t->m);
  while (!t->done)
    cnd_wait(&t->done_cv, &t->m);
  mtx_unlock(&t->m);
}
int task_await_until(struct task* t, const struct timespec* deadline) {
  int rc = thrd_success;
  mtx_lock(&t->m);
  while (!t->done && rc == thrd_success)
    rc = cnd_timedwait(&t->done_cv, &t->m, deadline);
  mtx_unlock(&t->m);
  return rc;
}

pthread_cond_t g_conds[2];
pthread_mutex_t g_cond_lock = PTHREAD_MUTEX_INITIALIZER;
int g_flags[2];

// case: good
// An array of condition variables sharing one mutex.
void await_slot(int i) {
  pthread_mutex_lock(&g_cond_lock);
  while (!g_flags[i])
    pthread_cond_wait(&g_conds[i], &g_cond_lock);
  pthread_mutex_unlock(&g_cond_lock);
}
void await_first_slot(void) {
  pthread_mutex_lock(&g_cond_lock);
  while (!g_flags[0])
    pthread_cond_wait(&g_conds[0], &g_cond_lock);
  pthread_mutex_unlock(&g_cond_lock);
}
