// cv-wait-no-predicate: a condition variable for any lockable, written the way
// condition_variable_any's implementations (boost's included) write it. Its wait takes an inner
// mutex only to hand itself over to the real condition variable; the lock it waits for is the
// caller's, which it unlocks while it sleeps and takes back after. Re-testing the condition is the
// callers' business, and a caller that does not re-test has the wait's bug.
#include <condition_variable>
#include <deque>
#include <mutex>

namespace anycv {

// case: good
class AnyCv {
public:
  template <typename Lockable> void wait(Lockable& lk) {
    std::unique_lock<std::mutex> inner(inner_);
    lk.unlock();
    cv_.wait(inner);
    inner.unlock();
    lk.lock();
  }
  void notify_one() {
    std::lock_guard<std::mutex> inner(inner_);
    cv_.notify_one();
  }

private:
  std::mutex inner_;
  std::condition_variable cv_;
};

// case: bad
// An inner lock and no lock of the caller's given up: this function's own critical section, so
// it must re-test itself.
class Gate {
public:
  void wait() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk); // expect: cv-wait-no-predicate
  }
  void open() {
    std::lock_guard<std::mutex> lk(mu_);
    cv_.notify_all();
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
};

class Spin {
public:
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
};

Spin queue_lock;
AnyCv queue_cv;
std::deque<int> queue;

// case: good
int take() {
  std::unique_lock<Spin> lk(queue_lock);
  while (queue.empty())
    queue_cv.wait(lk);
  int v = queue.front();
  queue.pop_front();
  return v;
}

// case: bad
int take_once() {
  std::unique_lock<Spin> lk(queue_lock);
  if (queue.empty())
    queue_cv.wait(lk); // expect: cv-wait-no-predicate
  int v = queue.front();
  queue.pop_front();
  return v;
}

// case: good
void put(int v) {
  std::lock_guard<Spin> lk(queue_lock);
  queue.push_back(v);
  queue_cv.notify_one();
}

} // namespace anycv
