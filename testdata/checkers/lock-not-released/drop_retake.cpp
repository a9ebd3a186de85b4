// lock-not-released and functions that run with the caller's lock held, drop it around slow work
// and take it back (leveldb's DBImpl, googlemock's VerifyAndClearExpectationsLocked), helpers that
// take a lock only where it is not held yet (boost's relocker), and exceptions caught while
// guards are alive.
#include <mutex>
#include <pthread.h>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace drop_retake {

static int write_out(const std::vector<int>& data) { return static_cast<int>(data.size()); }

// case: support
// Drops the caller's lock for the write and takes it back, with an early return that never
// touches it.
class Table {
public:
  int MaybeFlush() {
    if (pending_.size() < 4)
      return 0;
    std::vector<int> work = pending_;
    mu_.unlock();
    int rc = write_out(work);
    mu_.lock();
    pending_.clear();
    return rc;
  }

  // case: good
  int Add(int v) {
    mu_.lock();
    pending_.push_back(v);
    int rc = MaybeFlush();
    mu_.unlock();
    return rc;
  }

  // case: good
  // A blocking call while the caller's lock is dropped blocks under no lock.
  void Pause() {
    mu_.unlock();
    usleep(1000);
    mu_.lock();
  }
  void Throttle() {
    mu_.lock();
    Pause();
    mu_.unlock();
  }

  std::mutex mu_;
  std::vector<int> pending_;
};

// case: support
// boost's relocker: unlocks the caller's guard now, takes it back when asked or at its end.
class Relocker {
public:
  explicit Relocker(std::unique_lock<std::mutex>& lk) : lk_(lk) { lk_.unlock(); }
  ~Relocker() {
    if (!lk_.owns_lock())
      lk_.lock();
  }
  void lock() {
    if (!lk_.owns_lock())
      lk_.lock();
  }

private:
  std::unique_lock<std::mutex>& lk_;
};

static std::mutex g_state;
static int g_runs;

static int run_callback(int v) {
  if (v < 0)
    throw std::invalid_argument("negative");
  return v;
}

// case: good
// Runs a callback without the lock; taken back by hand, then again (nothing to do) at scope end.
int execute(std::unique_lock<std::mutex>& lk, int v) {
  Relocker relock(lk);
  int r = run_callback(v);
  relock.lock();
  ++g_runs;
  return r;
}

// case: good
int execute_all(int v) {
  std::unique_lock<std::mutex> lk(g_state);
  int r = execute(lk, v);
  r += execute(lk, v + 1);
  return r;
}

// case: good
// The exception is caught while the guard is alive: unwinding released the mutex.
int guarded_try(int v) {
  try {
    std::lock_guard<std::mutex> g(g_state);
    return run_callback(v);
  } catch (const std::exception&) {
    std::lock_guard<std::mutex> g(g_state);
    ++g_runs;
    return -1;
  }
}

// case: support
class Hold {
public:
  explicit Hold(pthread_mutex_t* m) : m_(m) { pthread_mutex_lock(m_); }
  ~Hold() { pthread_mutex_unlock(m_); }

private:
  pthread_mutex_t* m_;
};

static pthread_mutex_t g_table = PTHREAD_MUTEX_INITIALIZER;

// case: good
// The same with a guard class written by the project, and the handler locking again.
int held_try(int v) {
  try {
    Hold h(&g_table);
    return run_callback(v);
  } catch (...) {
    pthread_mutex_lock(&g_table);
    ++g_runs;
    pthread_mutex_unlock(&g_table);
    return -1;
  }
}

// case: bad
// Locked by hand inside the try: the exception leaves it locked into the handler.
int manual_try(int v) {
  try {
    pthread_mutex_lock(&g_table);
    int r = run_callback(v);
    pthread_mutex_unlock(&g_table);
    return r;
  } catch (...) {
    return -1; // expect: lock-not-released
  }
}

// case: support
// zstd style: locks only when there is a pool; the unlock wrapper tests the same condition.
struct Pool {
  pthread_mutex_t mu;
  int jobs;
};
static void pool_lock(Pool* p) {
  if (p)
    pthread_mutex_lock(&p->mu);
}
static void pool_unlock(Pool* p) {
  if (p)
    pthread_mutex_unlock(&p->mu);
}

// case: good
int pool_add(Pool* p, int n) {
  pool_lock(p);
  int jobs = p ? (p->jobs += n) : n;
  pool_unlock(p);
  return jobs;
}

// case: bad
int pool_peek(Pool* p) {
  pool_lock(p);
  if (p && p->jobs == 0)
    return 0; // expect: lock-not-released
  pool_unlock(p);
  return 1;
}

} // namespace drop_retake
