// unlock-not-held and loops that walk a range of locks with an iterator or a pointer: each pass
// unlocks another lock, so what was known of the lock the iterator designated before is not
// known of the next one. Shaped after boost.thread's range_lock_guard (lock_algorithms.hpp),
// whose destructor unlocks every lock of a range it locked.
#include <mutex>
#include <vector>

namespace ranges {

class Mutex {
public:
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
};

// case: support
template <typename Iterator> struct RangeGuard {
  Iterator begin;
  Iterator end;

  RangeGuard(Iterator b, Iterator e) : begin(b), end(e) {
    for (Iterator it = b; it != e; ++it)
      it->lock();
  }
  void release() { begin = end; }
  ~RangeGuard() {
    for (; begin != end; ++begin)
      begin->unlock();
  }
};

// case: good
// A pointer range.
void with_all(Mutex* locks, int n, int& work) {
  RangeGuard<Mutex*> g(locks, locks + n);
  ++work;
}

// case: good
// An iterator range of a vector.
void with_each(std::vector<Mutex>& locks, int& work) {
  RangeGuard<std::vector<Mutex>::iterator> g(locks.begin(), locks.end());
  ++work;
}

// case: good
// Written out in place: lock every mutex, then unlock every one, with a class iterator.
void lock_all_then_unlock(std::vector<Mutex>& locks, int& work) {
  for (auto it = locks.begin(); it != locks.end(); ++it)
    it->lock();
  ++work;
  for (auto it = locks.begin(); it != locks.end(); it++)
    it->unlock();
}

// case: good
// The same with the index moving a pointer by steps of one.
void unlock_stride(Mutex* locks, int n) {
  Mutex* p = locks;
  for (int i = 0; i < n; ++i, p += 1)
    p->unlock();
}

// case: bad
// The pointer does not move: the second pass unlocks the lock the first pass released.
void unlock_same(Mutex* locks, int n) {
  Mutex* p = locks;
  p->lock();
  p->unlock();
  p->unlock(); // expect: unlock-not-held
  for (int i = 0; i < n; ++i)
    locks[i].lock();
}

} // namespace ranges
