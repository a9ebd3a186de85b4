// lock-not-released: correct C++ code that a naive checker would flag.
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

class Account {
public:
  void lock() noexcept { m_.lock(); }
  void unlock() noexcept { m_.unlock(); }
  bool deposit(long n);
  long balance_ = 0;

private:
  std::mutex m_;
};

// case: good
// Account::lock() above is a lock wrapper (holds its member mutex on every exit; noexcept, so no
// exception path either); the caller pairs it with Account::unlock() on both paths.
bool Account::deposit(long n) {
  lock();
  if (n <= 0) {
    unlock();
    return false;
  }
  balance_ += n;
  unlock();
  return true;
}

struct Store {
  std::mutex m;
  int value = 0;
  bool dirty = false;
};

// case: good
// try_lock in the condition: the lock is only held inside the branch that unlocks it.
bool try_refresh(Store& c, int v) {
  if (c.m.try_lock()) {
    c.value = v;
    c.m.unlock();
    return true;
  }
  return false;
}

// case: good
// `if (!try_lock()) return` form: the early return happens without the lock.
bool try_mark_dirty(Store& c) {
  if (!c.m.try_lock())
    return false;
  c.dirty = true;
  c.m.unlock();
  return true;
}

// case: good
// The try_lock result is stored and tested later: unlocked exactly when it was taken.
int read_value_if_free(Store& c) {
  const bool got = c.m.try_lock();
  int v = -1;
  if (got) {
    v = c.value;
  }
  if (got)
    c.m.unlock();
  return v;
}

// case: good
// Correlated flags: locked and unlocked under the same condition, which does not change in between.
void bump(Store& c, bool shared) {
  if (shared)
    c.m.lock();
  ++c.value;
  if (shared)
    c.m.unlock();
}

// case: good
// RAII: every return, and the exception push_back may throw, release the guard.
bool append_unique(std::mutex& m, std::vector<std::string>& names, const std::string& n) {
  std::lock_guard<std::mutex> guard(m);
  for (const auto& existing : names)
    if (existing == n)
      return false;
  names.push_back(n);
  return true;
}

// case: good
// unique_lock unlocked early, relocked, and released by its destructor.
int drain_twice(Store& c) {
  std::unique_lock<std::mutex> lk(c.m);
  int first = c.value;
  lk.unlock();
  first *= 2;
  lk.lock();
  c.value = 0;
  return first;
}

// case: good
// release() hands the mutex over to manual control; it is then unlocked by hand.
void handoff(Store& c) {
  std::unique_lock<std::mutex> lk(c.m);
  c.value = 1;
  lk.release();
  c.dirty = false;
  c.m.unlock();
}

// A guard returned from a function carries the lock to the caller: no leak here.
std::unique_lock<std::mutex> acquire(Store& c) {
  return std::unique_lock<std::mutex>(c.m);
}

// case: good
// The returned guard is owned here and released at the end of the scope.
void reset(Store& c) {
  std::unique_lock<std::mutex> lk = acquire(c);
  c.value = 0;
}

// case: good
// A guard moved into another guard: exactly one of them owns the lock, and it is released.
int steal(Store& c) {
  std::unique_lock<std::mutex> first(c.m);
  std::unique_lock<std::mutex> second(std::move(first));
  return c.value;
}

void finish_and_unlock(Store& c) noexcept {
  c.dirty = false;
  c.m.unlock();
}

// case: good
// The lock is released by a callee (an unlock wrapper), on every path.
void commit(Store& c, int v) {
  c.m.lock();
  c.value = v;
  finish_and_unlock(c);
}

class Journal {
public:
  void append(const std::string& line);

private:
  std::mutex m_;
  std::vector<std::string> lines_;
};

// case: good
// A manual lock around a call that may throw, but inside try: the handler unlocks and rethrows.
void Journal::append(const std::string& line) {
  m_.lock();
  try {
    lines_.push_back(line);
  } catch (...) {
    m_.unlock();
    throw;
  }
  m_.unlock();
}

int checksum(const int* v, int n) noexcept {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += v[i];
  return s;
}

// case: good
// Calls between lock() and unlock() are noexcept, so there is no exception path to leak on.
int locked_checksum(std::mutex& m, const int* v, int n) {
  m.lock();
  int s = checksum(v, n);
  m.unlock();
  return s;
}

// case: good
// Lock and unlock in the same loop iteration, with a continue placed after the unlock.
int count_ready(std::mutex& m, const bool* ready, int n) {
  int count = 0;
  for (int i = 0; i < n; ++i) {
    m.lock();
    bool r = ready[i];
    m.unlock();
    if (!r)
      continue;
    ++count;
  }
  return count;
}

// case: good
// std::lock over two mutexes, then adopted by guards that release both.
void transfer(Store& from, Store& to, int amount) {
  std::lock(from.m, to.m);
  std::lock_guard<std::mutex> a(from.m, std::adopt_lock);
  std::lock_guard<std::mutex> b(to.m, std::adopt_lock);
  from.value -= amount;
  to.value += amount;
}

// case: good
// std::try_lock returns -1 when it took both; both are unlocked by hand.
bool try_transfer(Store& from, Store& to, int amount) {
  if (std::try_lock(from.m, to.m) != -1)
    return false;
  from.value -= amount;
  to.value += amount;
  from.m.unlock();
  to.m.unlock();
  return true;
}

// case: good
// Deferred guard locked later; the destructor releases whatever it owns.
void deferred(Store& c, bool update) {
  std::unique_lock<std::mutex> lk(c.m, std::defer_lock);
  if (update) {
    lk.lock();
    c.value++;
  }
}

class Snapshot {
public:
  int read() const;
  void write(int v);

private:
  mutable std::shared_mutex mu_;
  int v_ = 0;
};

// case: good
// shared_lock on a shared_mutex, with an early return.
int Snapshot::read() const {
  std::shared_lock<std::shared_mutex> r(mu_);
  if (v_ < 0)
    return 0;
  return v_;
}

// case: good
// Exclusive lock on the same shared_mutex through scoped_lock.
void Snapshot::write(int v) {
  std::scoped_lock lk(mu_);
  v_ = v;
}

struct Mailbox {
  std::mutex m;
  std::condition_variable cv;
  std::vector<int> items;
};

// case: good
// Condition-variable wait loop: wait() releases and retakes the lock; the guard frees it at the
// end.
int take(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.m);
  box.cv.wait(lk, [&] { return !box.items.empty(); });
  int v = box.items.back();
  box.items.pop_back();
  return v;
}

// case: good
// A recursive mutex taken twice and released twice.
int nested(std::recursive_mutex& m, int depth) {
  m.lock();
  m.lock();
  int d = depth + 1;
  m.unlock();
  m.unlock();
  return d;
}
