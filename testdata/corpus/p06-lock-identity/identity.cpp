// Lock identity: two mutex members of one wrapper type, members of two objects, and a mutex made
// recursive inside an init wrapper are told apart the way the code means them.
#include <pthread.h>

#include <mutex>

class SpinGuarded {
 public:
  void lock() { mu_.lock(); }
  void unlock() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

class Stats {
 public:
  // case: good
  // read_mu_ and write_mu_ are different locks of the same wrapper type.
  void Record(long bytes, bool write) {
    read_mu_.lock();
    ++reads_;
    if (write) {
      write_mu_.lock();
      written_ += bytes;
      write_mu_.unlock();
    }
    read_mu_.unlock();
  }

  // case: bad
  // Two objects' members are two locks, taken in argument order: a.MergeFrom(b) racing with
  // b.MergeFrom(a) deadlocks.
  void MergeFrom(Stats& other) {
    read_mu_.lock();
    other.read_mu_.lock(); // expect: lock-order-inversion
    reads_ += other.reads_;
    other.read_mu_.unlock();
    read_mu_.unlock();
  }

  // case: bad
  // The same member twice.
  void Reset() {
    read_mu_.lock();
    reads_ = 0;
    read_mu_.lock(); // expect: double-lock
    read_mu_.unlock();
  }

 private:
  SpinGuarded read_mu_;
  SpinGuarded write_mu_;
  long reads_ = 0;
  long written_ = 0;
};

struct loop_t {
  pthread_mutex_t mu;
  int depth;
};

// case: support
// libuv's uv_mutex_init_recursive shape.
static int mutex_init_recursive(pthread_mutex_t* m) {
  pthread_mutexattr_t attr;
  if (pthread_mutexattr_init(&attr))
    return -1;
  if (pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE))
    return -1;
  int err = pthread_mutex_init(m, &attr);
  pthread_mutexattr_destroy(&attr);
  return err;
}

// case: good
// Locked twice by one thread, but recursive.
void loop_enter_twice(loop_t* l) {
  pthread_mutex_lock(&l->mu);
  l->depth++;
  pthread_mutex_lock(&l->mu);
  l->depth++;
  pthread_mutex_unlock(&l->mu);
  pthread_mutex_unlock(&l->mu);
}

// case: good
int loop_init(loop_t* l) {
  l->depth = 0;
  return mutex_init_recursive(&l->mu);
}

// case: good
void use_stats(Stats& a, Stats& b) {
  a.Record(10, true);
  a.MergeFrom(b);
}
