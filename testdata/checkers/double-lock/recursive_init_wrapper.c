// double-lock and mutexes made recursive inside an initialisation wrapper (libuv's
// uv_mutex_init_recursive): what the wrapper makes of the mutex its caller passes holds for that
// mutex everywhere, also through a wrapper of the wrapper.
#define _GNU_SOURCE
#include <pthread.h>

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
