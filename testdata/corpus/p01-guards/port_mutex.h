// A portability layer of the kind leveldb (port/port_stdcxx.h) and googletest (gtest-port.h) ship:
// a Mutex class over pthread_mutex_t and a scoped guard written by the project, not std::lock_guard.
#ifndef CORPUS_PORT_MUTEX_H
#define CORPUS_PORT_MUTEX_H

#include <pthread.h>
#include <stdlib.h>

namespace port {

class Mutex {
 public:
  Mutex() { pthread_mutex_init(&mu_, nullptr); }
  ~Mutex() { pthread_mutex_destroy(&mu_); }
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() {
    if (pthread_mutex_lock(&mu_) != 0)
      abort();
  }
  void Unlock() {
    if (pthread_mutex_unlock(&mu_) != 0)
      abort();
  }
  void AssertHeld() {}

 private:
  pthread_mutex_t mu_;
};

// Named like leveldb's: the constructor locks, the destructor unlocks.
class MutexLock {
 public:
  explicit MutexLock(Mutex* mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// Named like nothing in particular, holding a reference: recognised from its bodies only.
class ScopedCritical {
 public:
  explicit ScopedCritical(Mutex& mu) : mu_(mu) { mu_.Lock(); }
  ~ScopedCritical() { mu_.Unlock(); }

 private:
  Mutex& mu_;
};

}  // namespace port

#endif
