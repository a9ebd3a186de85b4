// lock-not-released, double-lock and guards whose pointer to the mutex starts out null and is
// set by a member function: the member's default initializer (`M* held_{};`) makes a
// default-constructed guard hold nothing, the locking constructor delegates to acquire(), which
// stores the pointer and locks, and the destructor unlocks only while the pointer is set. This is
// the shape of oneTBB's scoped_lock (spin_mutex, queuing_mutex) and of many project guards that
// offer both a locking constructor and a deferred one.
#include <atomic>
#include <stdexcept>
#include <vector>

namespace member_guards {

class Spin {
public:
  void lock() {
    while (flag_.exchange(true, std::memory_order_acquire)) {
    }
  }
  bool try_lock() { return !flag_.exchange(true, std::memory_order_acquire); }
  void unlock() { flag_.store(false, std::memory_order_release); }

private:
  std::atomic<bool> flag_{false};
};

// case: support
template <typename M> class Scoped {
public:
  Scoped() = default;
  explicit Scoped(M& m) { acquire(m); }
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;
  ~Scoped() {
    if (held_)
      release();
  }

  void acquire(M& m) {
    held_ = &m;
    m.lock();
  }
  bool try_acquire(M& m) {
    if (!m.try_lock())
      return false;
    held_ = &m;
    return true;
  }
  void release() {
    held_->unlock();
    held_ = nullptr;
  }

private:
  M* held_{};
};

// case: support
// The same without a template, the pointer cleared with NULL-style 0 and set through a helper.
class Hold {
public:
  explicit Hold(Spin& m) {
    bind(m);
    mu_->lock();
  }
  ~Hold() {
    if (mu_ != 0)
      mu_->unlock();
  }

private:
  void bind(Spin& m) { mu_ = &m; }
  Spin* mu_ = 0;
};

// case: support
// A guard whose destructor forgot to unlock.
class Leaky {
public:
  explicit Leaky(Spin& m) { take(m); }
  ~Leaky() { held_ = nullptr; }

private:
  void take(Spin& m) {
    held_ = &m;
    m.lock();
  }
  Spin* held_{};
};

class Histogram {
public:
  void Add(int v);
  bool TryAdd(int v);
  long Total();
  void Scale(int k);
  int Count(int i);
  void Merge(const std::vector<int>& vs);
  int Peek(int i);

private:
  Spin mu_;
  std::vector<long> buckets_ = std::vector<long>(16);
};

// case: good
void Histogram::Add(int v) {
  Scoped<Spin> lock(mu_);
  ++buckets_[static_cast<unsigned>(v) & 15];
}

// case: good
// Default-constructed, then a try: held only when try_acquire succeeded.
bool Histogram::TryAdd(int v) {
  Scoped<Spin> lock;
  if (!lock.try_acquire(mu_))
    return false;
  ++buckets_[static_cast<unsigned>(v) & 15];
  return true;
}

// case: good
long Histogram::Total() {
  Scoped<Spin> lock(mu_);
  long t = 0;
  for (long b : buckets_)
    t += b;
  return t;
}

// case: good
// Released early by hand; the destructor sees a null pointer and does nothing.
void Histogram::Scale(int k) {
  Scoped<Spin> lock(mu_);
  std::vector<long> copy = buckets_;
  lock.release();
  for (long& b : copy)
    b *= k;
  Scoped<Spin> again(mu_);
  buckets_ = copy;
}

// case: good
// An exception unwinds the guard's scope: its destructor unlocks.
int Histogram::Count(int i) {
  Hold h(mu_);
  return static_cast<int>(buckets_.at(static_cast<unsigned>(i)));
}

// case: good
// The helpers lock and unlock once per call: calling them in a loop takes the lock again only
// after the previous call gave it back.
void Histogram::Merge(const std::vector<int>& vs) {
  for (int v : vs)
    Add(v);
  TryAdd(0);
  Scale(2);
}

// case: bad
// Leaky's destructor leaves mu_ locked when the exception unwinds the scope.
int Histogram::Peek(int i) {
  Leaky l(mu_);
  if (i < 0)
    throw std::out_of_range("negative bucket"); // expect: lock-not-released
  return static_cast<int>(buckets_[static_cast<unsigned>(i) & 15]);
}

// case: bad
// The guard holds mu_ until the end of the scope: locking it again by hand deadlocks.
void relock(Spin& mu, long& total) {
  Scoped<Spin> lock(mu);
  ++total;
  mu.lock(); // expect: double-lock
  ++total;
  mu.unlock();
}

// case: bad
// After release() the mutex is no longer held: unlocking it again is an unlock of an unheld lock.
void unlock_twice(Spin& mu, long& total) {
  Scoped<Spin> lock(mu);
  ++total;
  lock.release();
  mu.unlock(); // expect: unlock-not-held
}

} // namespace member_guards
