// cv-wait-no-predicate: a condition-variable class bound to its mutex (leveldb's port::CondVar)
// whose Wait() waits with the caller's lock; the callers re-test, or do not.
#include <condition_variable>
#include <deque>
#include <mutex>

namespace port {

class Mutex {
public:
  void Lock() { mu_.lock(); }
  void Unlock() { mu_.unlock(); }

private:
  friend class CondVar;
  std::mutex mu_;
};

class CondVar {
public:
  explicit CondVar(Mutex* mu) : mu_(mu) {}
  // case: good
  // Adopts the caller's lock for the wait and gives it back: the callers re-test.
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  void Signal() { cv_.notify_one(); }

private:
  std::condition_variable cv_;
  Mutex* const mu_;
};

} // namespace port

class Jobs {
public:
  Jobs() : cv_(&mu_) {}

  // case: good
  int Take() {
    mu_.Lock();
    while (jobs_.empty())
      cv_.Wait();
    int j = jobs_.front();
    jobs_.pop_front();
    mu_.Unlock();
    return j;
  }

  // case: bad
  // `if` instead of `while`: front() of an empty deque after a spurious wakeup.
  int TakeOnce() {
    mu_.Lock();
    if (jobs_.empty())
      cv_.Wait(); // expect: cv-wait-no-predicate
    int j = jobs_.front();
    jobs_.pop_front();
    mu_.Unlock();
    return j;
  }

  // case: good
  void Put(int j) {
    mu_.Lock();
    jobs_.push_back(j);
    cv_.Signal();
    mu_.Unlock();
  }

private:
  port::Mutex mu_;
  port::CondVar cv_;
  std::deque<int> jobs_;
};

// case: bad
// A unique_lock constructed here locks: this function owns the critical section and must re-test.
struct Flag {
  std::mutex m;
  std::condition_variable cv;
  bool set = false;
};
void await_flag(Flag& f) {
  std::unique_lock<std::mutex> lk(f.m);
  f.cv.wait(lk); // expect: cv-wait-no-predicate
}

// case: good
// Waits with a guard its caller passes in: the caller re-tests.
void await_with(Flag& f, std::unique_lock<std::mutex>& lk) {
  f.cv.wait(lk);
}
void await_flag_loop(Flag& f) {
  std::unique_lock<std::mutex> lk(f.m);
  while (!f.set)
    await_with(f, lk);
}
