// lock-not-released, double-lock and unlock-not-held and what a lock call's result says:
// pthread_mutex_lock returns 0 when it locked, so a branch that finds an error holds nothing (an
// EINTR retry loop, an early return on failure), also through a wrapper that returns the result.
// A helper that returns true holding the lock and false after unlocking it ("enter once") is a
// protocol its callers follow, like a try-lock.
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_count;

// case: support
// boost::posix::pthread_mutex_lock: retried while interrupted, the result returned.
static int lock_retrying(pthread_mutex_t* m) {
  int ret;
  do {
    ret = pthread_mutex_lock(m);
  } while (ret == EINTR);
  return ret;
}

// case: support
static int lock_plain(pthread_mutex_t* m) { return pthread_mutex_lock(m); }

// case: good
int add_checked(int v) {
  if (pthread_mutex_lock(&g_mu) != 0)
    return -1;
  g_count += v;
  pthread_mutex_unlock(&g_mu);
  return 0;
}

// case: good
int add_through_wrappers(int v) {
  if (lock_retrying(&g_mu) != 0)
    return -1;
  g_count += v;
  pthread_mutex_unlock(&g_mu);
  int rc = lock_plain(&g_mu);
  if (rc)
    return rc;
  g_count -= v;
  pthread_mutex_unlock(&g_mu);
  return 0;
}

// case: good
// The result ignored: the lock is taken as held.
void add_unchecked(int v) {
  lock_plain(&g_mu);
  g_count += v;
  pthread_mutex_unlock(&g_mu);
}

struct once {
  pthread_mutex_t mu;
  int done;
};

// case: support
static bool enter_once(struct once* o) {
  pthread_mutex_lock(&o->mu);
  if (o->done) {
    pthread_mutex_unlock(&o->mu);
    return false;
  }
  return true;
}

// case: support
static void leave_once(struct once* o) {
  o->done = 1;
  pthread_mutex_unlock(&o->mu);
}

static struct once g_once = {PTHREAD_MUTEX_INITIALIZER, 0};

// case: good
void init_once(void) {
  if (enter_once(&g_once)) {
    g_count = 100;
    leave_once(&g_once);
  }
}

// case: bad
// The error path still unlocks: nothing is held there.
int add_sloppy(int v) {
  int rc = pthread_mutex_lock(&g_mu);
  if (rc != 0) {
    pthread_mutex_unlock(&g_mu); // expect: unlock-not-held
    return rc;
  }
  g_count += v;
  pthread_mutex_unlock(&g_mu);
  return 0;
}

// case: bad
// Held on the error return: -1 is no "locked" answer, it is an unlock forgotten.
static int take_unless_full(pthread_mutex_t* m, int n) {
  pthread_mutex_lock(m);
  if (n > 10)
    return -1; // expect: lock-not-released
  pthread_mutex_unlock(m);
  return 0;
}

// case: good
int use_take(int n) { return take_unless_full(&g_mu, n); }

// case: bad
// The enter-once protocol broken: the caller runs the initialisation and never leaves.
void init_forgetful(void) {
  if (enter_once(&g_once))
    g_count = 7;
} // expect: lock-not-released

// case: good
// libevent's evthread_posix_lock: a mode flag picks a try-lock or a blocking lock, and every exit
// returns the lock call's result, 0 when it locked.
static int lock_by_mode(unsigned mode, pthread_mutex_t* m) {
  if (mode & 1)
    return pthread_mutex_trylock(m);
  else
    return pthread_mutex_lock(m);
}

// case: good
// The same through a variable.
static int lock_by_mode_var(unsigned mode, pthread_mutex_t* m) {
  int r;
  if (mode & 1)
    r = pthread_mutex_trylock(m);
  else
    r = pthread_mutex_lock(m);
  return r;
}

// case: good
// Callers that test the result, and one that ignores it as after pthread_mutex_lock.
int use_by_mode(int n) {
  if (lock_by_mode(1, &g_mu) != 0)
    return -1;
  g_count += n;
  pthread_mutex_unlock(&g_mu);
  if (lock_by_mode_var(0, &g_mu) == 0) {
    g_count -= n;
    pthread_mutex_unlock(&g_mu);
  }
  lock_by_mode(0, &g_mu);
  g_count++;
  pthread_mutex_unlock(&g_mu);
  return 0;
}

// case: bad
// Returns an error code while holding the lock from the blocking path.
static int lock_by_mode_leaky(unsigned mode, pthread_mutex_t* m) {
  if (mode & 1)
    return pthread_mutex_trylock(m);
  pthread_mutex_lock(m);
  if (g_count < 0)
    return -1; // expect: lock-not-released
  return 0;
}

// case: good
int use_leaky(void) {
  return lock_by_mode_leaky(0, &g_mu);
}

// case: bad
// Locks through the wrapper and forgets to unlock on the early return.
int use_by_mode_forgetful(int n) {
  if (lock_by_mode(0, &g_mu) != 0)
    return -1;
  if (n < 0)
    return -1; // expect: lock-not-released
  g_count += n;
  pthread_mutex_unlock(&g_mu);
  return 0;
}
