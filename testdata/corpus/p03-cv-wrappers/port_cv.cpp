// A condition-variable wrapper that binds its mutex in the constructor (leveldb's port::CondVar):
// Wait() releases the caller's lock while waiting, and callers loop on their condition.
#include <pthread.h>

#include <deque>

namespace port {

class Mutex {
 public:
  Mutex() { pthread_mutex_init(&mu_, nullptr); }
  ~Mutex() { pthread_mutex_destroy(&mu_); }
  void Lock() { pthread_mutex_lock(&mu_); }
  void Unlock() { pthread_mutex_unlock(&mu_); }

 private:
  friend class CondVar;
  pthread_mutex_t mu_;
};

class CondVar {
 public:
  explicit CondVar(Mutex* mu) : mu_(mu) { pthread_cond_init(&cv_, nullptr); }
  ~CondVar() { pthread_cond_destroy(&cv_); }
  // case: good
  // Predicate-less by design: the callers re-test their condition in a loop.
  void Wait() { pthread_cond_wait(&cv_, &mu_->mu_); }
  void Signal() { pthread_cond_signal(&cv_); }
  void SignalAll() { pthread_cond_broadcast(&cv_); }

 private:
  pthread_cond_t cv_;
  Mutex* const mu_;
};

}  // namespace port

class WriteQueue {
 public:
  WriteQueue() : cv_(&mu_) {}

  // case: good
  // Waits with mu_ held: CondVar::Wait releases mu_ while it blocks.
  int Pop() {
    mu_.Lock();
    while (items_.empty())
      cv_.Wait();
    int v = items_.front();
    items_.pop_front();
    mu_.Unlock();
    return v;
  }

  // case: good
  void Push(int v) {
    mu_.Lock();
    items_.push_back(v);
    cv_.Signal();
    mu_.Unlock();
  }

 private:
  port::Mutex mu_;
  port::CondVar cv_;
  std::deque<int> items_;
};

// case: good
int drain_one(WriteQueue& q) {
  q.Push(1);
  return q.Pop();
}
