// unlock-not-held and the result of pthread_mutex_unlock: 0 when it unlocked, an error number
// when it did not, and POSIX lets it fail only when the thread does not own the mutex. Retry
// loops around it (`do ret = pthread_mutex_unlock(m); while (ret == EINTR);`, as boost.thread's
// pthread helpers write them) and error checks after it unlock once on every path the program
// takes.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table[32];

// case: good
static int unlock_retry(pthread_mutex_t* m) {
  int ret;
  do {
    ret = pthread_mutex_unlock(m);
  } while (ret == EINTR);
  return ret;
}

// case: good
static int lock_retry(pthread_mutex_t* m) {
  int ret;
  do {
    ret = pthread_mutex_lock(m);
  } while (ret == EINTR);
  return ret;
}

// case: good
void table_put(int i, int v) {
  lock_retry(&table_lock);
  table[i & 31] = v;
  unlock_retry(&table_lock);
}

// case: good
// The retry loop written in place, around a lock this function took.
int table_get(int i) {
  pthread_mutex_lock(&table_lock);
  int v = table[i & 31];
  int rc;
  while ((rc = pthread_mutex_unlock(&table_lock)) == EINTR) {
  }
  return rc == 0 ? v : -1;
}

// case: good
// An unlock checked for failure: the error branch is not a second unlock.
int table_clear(void) {
  pthread_mutex_lock(&table_lock);
  for (int i = 0; i < 32; ++i)
    table[i] = 0;
  if (pthread_mutex_unlock(&table_lock) != 0) {
    perror("pthread_mutex_unlock");
    abort();
  }
  return 0;
}

// case: bad
// The wrapper releases the lock; calling it twice unlocks a free mutex.
void table_swap(int i, int j) {
  lock_retry(&table_lock);
  int t = table[i & 31];
  table[i & 31] = table[j & 31];
  table[j & 31] = t;
  unlock_retry(&table_lock);
  unlock_retry(&table_lock); // expect: unlock-not-held
}

// case: bad
// The result is checked, but the mutex was already released: the unlock itself is the mistake.
int table_sum(void) {
  int s = 0;
  pthread_mutex_lock(&table_lock);
  for (int i = 0; i < 32; ++i)
    s += table[i];
  pthread_mutex_unlock(&table_lock);
  if (pthread_mutex_unlock(&table_lock) != 0) // expect: unlock-not-held
    return -1;
  return s;
}
