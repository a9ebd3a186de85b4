// unlock-not-held and helpers that release a mutex only while they still hold it: a flag records
// that the release happened, and a destructor that calls the same helper again releases nothing
// the second time. Shaped after boost's interruption_checker (pthread/condition_variable.hpp).
#include <pthread.h>

namespace release_once {

// case: support
class Checker {
public:
  explicit Checker(pthread_mutex_t* m) : m_(m), done_(false) { pthread_mutex_lock(m_); }
  ~Checker() { unlock_if_locked(); }
  void unlock_if_locked() {
    if (!done_) {
      pthread_mutex_unlock(m_);
      done_ = true;
    }
  }

private:
  pthread_mutex_t* m_;
  bool done_;
};

// case: support
// The same helper as a free function over a flag the caller keeps.
void release_if_held(pthread_mutex_t* m, bool* held) {
  if (*held) {
    pthread_mutex_unlock(m);
    *held = false;
  }
}

// case: support
void release(pthread_mutex_t* m) { pthread_mutex_unlock(m); }

static pthread_mutex_t g_state = PTHREAD_MUTEX_INITIALIZER;
static int g_value;

// case: good
// Released early by hand through the helper; the destructor's call releases nothing more.
int read_then_work() {
  Checker check(&g_state);
  int v = g_value;
  check.unlock_if_locked();
  return v * 2;
}

// case: good
void wrap_twice() {
  bool held = true;
  pthread_mutex_lock(&g_state);
  ++g_value;
  release_if_held(&g_state, &held);
  release_if_held(&g_state, &held);
}

// case: bad
// A helper that releases unconditionally, called twice.
void release_twice() {
  pthread_mutex_lock(&g_state);
  ++g_value;
  release(&g_state);
  release(&g_state); // expect: unlock-not-held
}

} // namespace release_once
