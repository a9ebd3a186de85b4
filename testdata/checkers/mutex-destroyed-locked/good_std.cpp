// mutex-destroyed-locked: local std mutexes and guards whose lifetimes are right.
#include <mutex>
#include <pthread.h>
#include <thread>
#include <utility>
#include <vector>

// case: good
// Guard declared after the mutex: destroyed first, so the mutex dies unlocked.
int shared_sum(const std::vector<int>& v) {
  std::mutex m;
  int total = 0;
  std::vector<std::thread> workers;
  for (int t = 0; t < 2; ++t)
    workers.emplace_back([&, t] {
      for (std::size_t i = static_cast<std::size_t>(t); i < v.size(); i += 2) {
        std::lock_guard<std::mutex> g(m);
        total += v[i];
      }
    });
  for (auto& w : workers)
    w.join();
  std::lock_guard<std::mutex> final_read(m);
  return total;
}

// case: good
// A guard declared before the mutex, but unlocked before the mutex's scope ends.
int guard_released_in_time(int x) {
  std::unique_lock<std::mutex> lk;
  {
    std::mutex m;
    lk = std::unique_lock<std::mutex>(m);
    x += 1;
    lk.unlock();
  }
  return x;
}

// case: good
// A guard declared before the mutex that released ownership by being moved into a shorter-lived
// guard.
int guard_moved_inward(int x) {
  std::unique_lock<std::mutex> outer;
  {
    std::mutex m;
    outer = std::unique_lock<std::mutex>(m);
    std::unique_lock<std::mutex> inner(std::move(outer));
    x *= 2;
  }
  return x;
}

// case: good
// Local mutex taken with try_lock and released on the success path only.
int probe(int v) {
  std::mutex m;
  if (!m.try_lock())
    return -1;
  v += 1;
  m.unlock();
  return v;
}

// case: good
// A local recursive_mutex locked twice through nested guards, all released in scope.
int recursive_guards(int depth) {
  std::recursive_mutex rm;
  std::lock_guard<std::recursive_mutex> a(rm);
  std::lock_guard<std::recursive_mutex> b(rm);
  return depth + 1;
}

// case: good
// Two local mutexes locked together by scoped_lock declared after both.
int pair_scope(int a, int b) {
  std::mutex ma;
  std::mutex mb;
  std::scoped_lock lk(ma, mb);
  return a + b;
}

// case: good
// std::lock with adopting guards declared after the mutexes.
int adopt_scope(int a) {
  std::mutex m1;
  std::mutex m2;
  std::lock(m1, m2);
  std::lock_guard<std::mutex> g1(m1, std::adopt_lock);
  std::lock_guard<std::mutex> g2(m2, std::adopt_lock);
  return a;
}

class TidyPool {
public:
  ~TidyPool();

private:
  pthread_mutex_t m_ = PTHREAD_MUTEX_INITIALIZER;
  std::vector<int> items_;
};

// case: good
// Destructor drains under the lock, unlocks, and then destroys.
TidyPool::~TidyPool() {
  pthread_mutex_lock(&m_);
  items_.clear();
  pthread_mutex_unlock(&m_);
  pthread_mutex_destroy(&m_);
}

struct CleanSession {
  std::mutex m;
  int state = 0;
};

// case: good
// A mutex member of a local object, unlocked on the error path before the return.
int run_clean_session(int input) {
  CleanSession s;
  s.m.lock();
  s.state = input;
  if (input < 0) {
    s.m.unlock();
    return -1;
  }
  s.m.unlock();
  return s.state;
}
