// Guards that have lock() and unlock() of their own (boost::unique_lock, boost::upgrade_lock, a
// hand-written unique_lock): a class built from another lockable object it keeps a pointer to is a
// guard over that object, not a mutex. Its lock()/unlock() lock and unlock the object it was given,
// and its destructor releases that object at scope end, whatever the class is called.
#include <pthread.h>
#include <string>
#include <vector>

namespace lockable {

// case: support
// A mutex class over pthreads, the way boost::mutex is written: it is the lock.
class Mutex {
public:
  Mutex() { pthread_mutex_init(&m_, nullptr); }
  ~Mutex() { pthread_mutex_destroy(&m_); }
  void lock() { pthread_mutex_lock(&m_); }
  void unlock() { pthread_mutex_unlock(&m_); }
  bool try_lock() { return pthread_mutex_trylock(&m_) == 0; }

private:
  pthread_mutex_t m_;
};

struct defer_lock_t {};
inline constexpr defer_lock_t defer_lock{};

// case: support
// A unique_lock written by the project, shaped after boost/thread/lock_types.hpp.
template <class M> class UniqueLock {
public:
  explicit UniqueLock(M& m) : m_(&m), owns_(false) { lock(); }
  UniqueLock(M& m, defer_lock_t) : m_(&m), owns_(false) {}
  ~UniqueLock() {
    if (owns_)
      m_->unlock();
  }
  UniqueLock(const UniqueLock&) = delete;
  UniqueLock& operator=(const UniqueLock&) = delete;
  void lock() {
    m_->lock();
    owns_ = true;
  }
  void unlock() {
    m_->unlock();
    owns_ = false;
  }
  bool owns_lock() const { return owns_; }

private:
  M* m_;
  bool owns_;
};

class Registry {
public:
  // case: good
  void Add(const std::string& name) {
    UniqueLock<Mutex> lk(mu_);
    names_.push_back(name);
  }

  // case: good
  // An early return inside the guard's scope.
  bool AddIfNew(const std::string& name) {
    UniqueLock<Mutex> lk(mu_);
    for (const std::string& n : names_)
      if (n == name)
        return false;
    names_.push_back(name);
    return true;
  }

  // case: good
  // Unlocked by hand for slow work, relocked, released by the destructor.
  size_t Rebuild() {
    UniqueLock<Mutex> lk(mu_);
    std::vector<std::string> copy = names_;
    lk.unlock();
    size_t total = 0;
    for (const std::string& n : copy)
      total += n.size();
    lk.lock();
    generation_ += total;
    return names_.size();
  }

  // case: good
  // Deferred, then locked on one path only.
  void MaybeClear(bool clear) {
    UniqueLock<Mutex> lk(mu_, defer_lock);
    if (!clear)
      return;
    lk.lock();
    names_.clear();
  }

  // case: good
  // Two guards over two different mutexes, released in reverse order.
  void CopyFrom(Registry& other) {
    UniqueLock<Mutex> mine(mu_);
    UniqueLock<Mutex> theirs(other.mu_);
    names_ = other.names_;
  }

  // case: bad
  // The mutex the guard holds is locked again by hand.
  void Touch() {
    UniqueLock<Mutex> lk(mu_);
    mu_.lock(); // expect: double-lock
    ++generation_;
    mu_.unlock();
  }

  // case: bad
  // Locked by hand, not by a guard: left held on the early return.
  int Peek(int i) {
    mu_.lock();
    if (i < 0)
      return -1; // expect: lock-not-released
    int v = static_cast<int>(names_.size()) + i;
    mu_.unlock();
    return v;
  }

private:
  Mutex mu_;
  std::vector<std::string> names_;
  size_t generation_ = 0;
};

// case: good
// Walking an array of mutexes with a pointer: after ++p, p is another element, so locking it is
// not locking the first one again.
void lock_pair(Mutex* pair) {
  Mutex* first = pair;
  Mutex* second = first;
  ++second;
  first->lock();
  second->lock();
  second->unlock();
  first->unlock();
}

} // namespace lockable
