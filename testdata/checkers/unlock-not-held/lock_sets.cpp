// unlock-not-held and classes with lock() and unlock() that are not mutexes: a set of locks over
// several mutexes whose constructor takes them all (the shape of boost's future_waiter and its
// all_futures_lock), handed to a wait that unlocks and relocks it. Its constructor locks, so an
// object of it starts out holding, and what its lock() and unlock() do is what their bodies do.
// A lockable class whose constructor locks nothing is still a mutex that starts out unlocked.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace lock_sets {

struct Slot {
  std::mutex mu;
  bool ready = false;
};

// case: support
// Locks every slot's mutex when built, in address order; lock()/unlock() for a wait to use.
class AllSlots {
public:
  explicit AllSlots(std::vector<Slot*>& slots)
      : count_(slots.size()), locks_(new std::unique_lock<std::mutex>[slots.size()]) {
    for (std::size_t i = 0; i < count_; ++i)
      locks_[i] = std::unique_lock<std::mutex>(slots[i]->mu);
  }
  void lock() {
    for (std::size_t i = 0; i < count_; ++i)
      locks_[i].lock();
  }
  void unlock() {
    for (std::size_t i = 0; i < count_; ++i)
      locks_[i].unlock();
  }

private:
  std::size_t count_;
  std::unique_ptr<std::unique_lock<std::mutex>[]> locks_;
};

// case: support
// The same, locking through a helper of its own.
class Pair {
public:
  Pair(std::mutex& a, std::mutex& b) : a_(a, std::defer_lock), b_(b, std::defer_lock) { take(); }
  void lock() { take(); }
  void unlock() {
    a_.unlock();
    b_.unlock();
  }

private:
  void take() { std::lock(a_, b_); }
  std::unique_lock<std::mutex> a_, b_;
};

// case: support
// A hand-written mutex: built unlocked.
class Spin {
public:
  void lock() {
    while (flag_.exchange(true, std::memory_order_acquire)) {
    }
  }
  void unlock() { flag_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> flag_{false};
};

// case: support
// A condition variable for any lockable, written the way condition_variable_any's
// implementations write it: the caller's lock is given up while the wait sleeps.
class AnyCv {
public:
  template <typename Lockable> void wait(Lockable& lk) {
    std::unique_lock<std::mutex> hold(inner_);
    lk.unlock();
    cv_.wait(hold);
    hold.unlock();
    lk.lock();
  }
  void notify_all() {
    std::lock_guard<std::mutex> hold(inner_);
    cv_.notify_all();
  }

private:
  std::mutex inner_;
  std::condition_variable cv_;
};

// case: good
std::size_t wait_any(std::vector<Slot*>& slots, AnyCv& cv) {
  AllSlots lk(slots);
  for (;;) {
    for (std::size_t i = 0; i < slots.size(); ++i)
      if (slots[i]->ready)
        return i;
    cv.wait(lk);
  }
}

// case: good
bool wait_pair(std::mutex& a, std::mutex& b, bool& flag, AnyCv& cv) {
  Pair lk(a, b);
  while (!flag)
    cv.wait(lk);
  return flag;
}

// case: bad
// A Spin is built unlocked: the wait unlocks a lock nobody holds.
void wait_spin(AnyCv& cv) {
  Spin s;
  cv.wait(s); // expect: unlock-not-held
}

} // namespace lock_sets
