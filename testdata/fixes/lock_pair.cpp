// flags: -std=c++17
// lock-not-released on exception paths: a manual lock()/unlock() pair in one block becomes a
// std::scoped_lock, in a block of its own when statements follow the unlock.
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

std::mutex g_mu;
std::vector<int> g_items;

// What really throws under the locks below: the checker reports exception paths only for calls
// that can throw for a reason other than allocation failure.
int checked(int v) {
  if (v < 0)
    throw std::invalid_argument("negative");
  return v;
}
const std::string& checked(const std::string& s) {
  if (s.empty())
    throw std::invalid_argument("empty");
  return s;
}

void last_in_block(int v) {
  g_mu.lock();
  g_items.push_back(checked(v)); // fixed: lock-not-released
  g_mu.unlock();
}

int statements_follow(int v) {
  int n = 0;
  g_mu.lock();
  g_items.push_back(checked(v)); // fixed: lock-not-released
  n = static_cast<int>(g_items.size());
  g_mu.unlock();
  return n;
}

class Queue {
public:
  void push(const std::string& s) {
    mu_.lock();
    q_.push_back(checked(s)); // fixed: lock-not-released
    mu_.unlock();
    notify();
  }

private:
  void notify() {}
  std::mutex mu_;
  std::vector<std::string> q_;
};

// Through a pointer; two throwing calls make one finding (at the first) and share the one fix.
void by_pointer(std::mutex* pm, const std::string& s, std::vector<std::string>& out) {
  pm->lock();
  out.push_back(checked(s));    // fixed: lock-not-released
  out.push_back(checked(s + s));
  pm->unlock();
}

// 'lock' is taken; the loop body is the block.
void in_loop(int lock) {
  for (int i = 0; i < lock; ++i) {
    g_mu.lock();
    g_items.push_back(checked(i)); // fixed: lock-not-released
    g_mu.unlock();
  }
}

template <class T> void generic(std::mutex& m, std::vector<T>& v, const T& x) {
  m.lock();
  v.push_back(checked(x)); // fixed: lock-not-released
  m.unlock();
}
template void generic<std::string>(std::mutex&, std::vector<std::string>&, const std::string&);

// A user type with lock() and unlock().
struct SpinLock {
  void lock() {}
  void unlock() {}
};
SpinLock g_spin;
void user_lockable(int v) {
  g_spin.lock();
  g_items.push_back(checked(v)); // fixed: lock-not-released
  g_spin.unlock();
  g_items.push_back(-v);
}

// Not fixed: a local declared between lock and unlock is used after the unlock, so the block
// that a scoped_lock needs would end its life too early.
int local_used_after(int v) {
  g_mu.lock();
  g_items.push_back(checked(v)); // kept: lock-not-released
  int n = static_cast<int>(g_items.size());
  g_mu.unlock();
  return n;
}

// Not fixed: an early return between lock and unlock (a guard would change that path too).
void early_return(int v) {
  g_mu.lock();
  g_items.push_back(checked(v)); // kept: lock-not-released
  if (v < 0) {
    g_mu.unlock();
    return;
  }
  g_mu.unlock();
}

// Not fixed: lock and unlock in different blocks.
void different_blocks(bool b, int v) {
  g_mu.lock();
  if (b) {
    g_items.push_back(checked(v)); // kept: lock-not-released
    g_mu.unlock();
  } else {
    g_mu.unlock();
  }
}
