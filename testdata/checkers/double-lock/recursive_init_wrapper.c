// double-lock and mutexes made recursive inside an initialisation wrapper (libuv's
// uv_mutex_init_recursive): what the wrapper makes of the mutex its caller passes holds for that
// mutex everywhere, also through a wrapper of the wrapper.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>

struct loop {
  pthread_mutex_t mu;
  int depth;
};

struct plain_loop {
  pthread_mutex_t mu;
  int depth;
};

// case: support
static int mutex_init_recursive(pthread_mutex_t* m) {
  pthread_mutexattr_t attr;
  if (pthread_mutexattr_init(&attr))
    return -1;
  if (pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE))
    return -1;
  int err = pthread_mutex_init(m, &attr);
  pthread_mutexattr_destroy(&attr);
  return err;
}

// case: support
static int loop_mutex_init(pthread_mutex_t* m) {
  return mutex_init_recursive(m);
}

// case: support
static int mutex_init_normal(pthread_mutex_t* m) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  int err = pthread_mutex_init(m, &attr);
  pthread_mutexattr_destroy(&attr);
  return err;
}

// case: good
int loop_init(struct loop* l) {
  l->depth = 0;
  return loop_mutex_init(&l->mu);
}

// case: good
int plain_loop_init(struct plain_loop* l) {
  l->depth = 0;
  return mutex_init_normal(&l->mu);
}

// case: good
// Locked twice by one thread, but recursive.
void loop_enter_twice(struct loop* l) {
  pthread_mutex_lock(&l->mu);
  l->depth++;
  pthread_mutex_lock(&l->mu);
  l->depth++;
  pthread_mutex_unlock(&l->mu);
  pthread_mutex_unlock(&l->mu);
}

// case: bad
// An error-checking mutex locked twice: the second lock fails with EDEADLK and the code goes on
// as if it held it.
void plain_enter_twice(struct plain_loop* l) {
  pthread_mutex_lock(&l->mu);
  l->depth++;
  pthread_mutex_lock(&l->mu); // expect: double-lock
  l->depth++;
  pthread_mutex_unlock(&l->mu);
  pthread_mutex_unlock(&l->mu);
}

// libuv's own shape: the mutex is locked through a wrapper too (uv_mutex_lock(uv_mutex_t*)), so
// what the initialisation made of it must reach the lock inside the wrapper.
// case: support
static void mutex_lock(pthread_mutex_t* m) {
  if (pthread_mutex_lock(m))
    abort();
}

// case: support
static void mutex_unlock(pthread_mutex_t* m) {
  if (pthread_mutex_unlock(m))
    abort();
}

static pthread_mutex_t shared_mutex;
static pthread_mutex_t plain_mutex;

// case: good
int shared_init(void) {
  return mutex_init_recursive(&shared_mutex) || mutex_init_normal(&plain_mutex);
}

// case: good
void shared_enter_twice(void) {
  mutex_lock(&shared_mutex);
  mutex_lock(&shared_mutex);
  mutex_unlock(&shared_mutex);
  mutex_unlock(&shared_mutex);
}

// case: good
// A local mutex made recursive where it is declared (libuv's test-mutexes.c).
int local_enter_twice(void) {
  pthread_mutex_t mutex;
  if (mutex_init_recursive(&mutex))
    return -1;
  mutex_lock(&mutex);
  mutex_lock(&mutex);
  mutex_unlock(&mutex);
  mutex_unlock(&mutex);
  pthread_mutex_destroy(&mutex);
  return 0;
}

// case: bad
void plain_enter_twice_through_wrapper(void) {
  mutex_lock(&plain_mutex);
  mutex_lock(&plain_mutex); // expect: double-lock
  mutex_unlock(&plain_mutex);
  mutex_unlock(&plain_mutex);
}
