// mutex-destroyed-locked: a std mutex destroyed (going out of scope) while held, or a guard that
// outlives its mutex. Destroying an owned std::mutex is undefined behaviour.
#include <mutex>
#include <pthread.h>
#include <vector>

void run_jobs(std::mutex& m, int n) noexcept;

// case: bad
// A local mutex locked for a batch and left locked: it dies held at the end of the function (and
// the function leaks a lock it owns).
void batch_locked(int n) {
  std::mutex m;
  m.lock();
  run_jobs(m, n);
} // expect: mutex-destroyed-locked, lock-not-released

int step(int i) noexcept;

// case: bad
// The early return leaves the scope of the local mutex while it is held.
int parallel_sum(const int* v, int n) {
  std::mutex m;
  int total = 0;
  m.lock();
  if (n == 0)
    return 0; // expect: mutex-destroyed-locked, lock-not-released
  for (int i = 0; i < n; ++i)
    total += v[i] + step(i);
  m.unlock();
  return total;
}

// case: bad
// A guard declared before the mutex outlives it: at the end of the inner scope the mutex dies while
// the outer guard still owns it.
int guard_outlives(int x) {
  std::unique_lock<std::mutex> lk;
  {
    std::mutex m;
    lk = std::unique_lock<std::mutex>(m);
    x += 1;
  } // expect: mutex-destroyed-locked
  return x;
}

struct Session {
  std::mutex m;
  int state = 0;
};

// case: bad
// A mutex that is a member of a local object dies with it; the error return leaves it held.
int run_session(int input) {
  Session s;
  s.m.lock();
  s.state = input;
  if (input < 0)
    return -1; // expect: mutex-destroyed-locked, lock-not-released
  s.m.unlock();
  return s.state;
}

class Pool {
public:
  ~Pool();

private:
  void drain() noexcept;
  pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
  std::vector<int> items_;
};

void Pool::drain() noexcept {
  items_.clear();
}

// case: bad
// The destructor locks to drain and destroys the mutex without unlocking it.
Pool::~Pool() {
  pthread_mutex_lock(&m_);
  drain();
  pthread_mutex_destroy(&m_); // expect: mutex-destroyed-locked
}

// case: bad
// A local recursive_mutex with one more lock than unlock dies held in the inner scope.
int recursive_scope(int depth) {
  int r = 0;
  {
    std::recursive_mutex rm;
    rm.lock();
    rm.lock();
    r = depth;
    rm.unlock();
  } // expect: mutex-destroyed-locked
  return r;
}
