// double-lock: correct C++ code that a naive checker would flag.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>
#include <vector>

class Ledger {
public:
  void post(long n);

private:
  void post_locked(long n);
  std::recursive_mutex m_;
  long total_ = 0;
};

void Ledger::post_locked(long n) {
  std::lock_guard<std::recursive_mutex> g(m_);
  total_ += n;
}

// case: good
// A recursive_mutex: relocking it from a nested call is what it is for.
void Ledger::post(long n) {
  std::lock_guard<std::recursive_mutex> g(m_);
  if (n != 0)
    post_locked(n);
}

// case: good
// recursive_timed_mutex taken twice by the same thread.
bool timed_nested(std::recursive_timed_mutex& m, int& v) {
  if (!m.try_lock_for(std::chrono::milliseconds(5)))
    return false;
  std::lock_guard<std::recursive_timed_mutex> inner(m);
  ++v;
  m.unlock();
  return true;
}

struct Stats {
  std::mutex m;
  long hits = 0;
};

// case: good
// Lock, unlock, lock again: sequential, never nested.
void two_phases(Stats& s) {
  s.m.lock();
  long h = s.hits;
  s.m.unlock();
  h *= 2;
  s.m.lock();
  s.hits = h;
  s.m.unlock();
}

// case: good
// try_lock failed, so the blocking lock() in the failure branch is the first acquisition.
void lock_counting_contention(Stats& s, long& contended) {
  if (!s.m.try_lock()) {
    ++contended;
    s.m.lock();
  }
  ++s.hits;
  s.m.unlock();
}

// case: good
// The try_lock result kept in a variable: lock() only on the path where try_lock failed.
void lock_after_probe(Stats& s) {
  bool owned = s.m.try_lock();
  if (!owned)
    s.m.lock();
  ++s.hits;
  s.m.unlock();
}

// case: good
// Correlated flag: the optional first section is unlocked under the same condition before the
// unconditional lock.
void maybe_then_always(Stats& s, bool pre) {
  if (pre)
    s.m.lock();
  if (pre)
    ++s.hits;
  if (pre)
    s.m.unlock();
  s.m.lock();
  s.hits = 0;
  s.m.unlock();
}

// case: good
// Deferred unique_lock locked once, later.
void deferred_once(Stats& s) {
  std::unique_lock<std::mutex> lk(s.m, std::defer_lock);
  long snapshot = 0;
  lk.lock();
  snapshot = s.hits;
  s.hits = snapshot + 1;
}

// case: good
// unique_lock unlocked and relocked in a loop: never two acquisitions at once.
void batched(Stats& s, int rounds) {
  std::unique_lock<std::mutex> lk(s.m);
  for (int i = 0; i < rounds; ++i) {
    ++s.hits;
    lk.unlock();
    std::this_thread::yield();
    lk.lock();
  }
}

// case: good
// A guard moved into another: ownership moves, the mutex is locked once.
void moved_guard(Stats& s) {
  std::unique_lock<std::mutex> a(s.m);
  std::unique_lock<std::mutex> b(std::move(a));
  ++s.hits;
  b.unlock();
  a = std::unique_lock<std::mutex>(s.m);
  --s.hits;
}

struct Account {
  std::mutex m;
  long balance = 0;
};

// case: good
// Two different accounts locked together; same-object transfers are rejected first.
void transfer(Account& from, Account& to, long n) {
  if (&from == &to)
    return;
  std::scoped_lock lk(from.m, to.m);
  from.balance -= n;
  to.balance += n;
}

struct ShardSet {
  std::mutex locks[4];
  int counts[4] = {};
};

// case: good
// Different array elements (constant indices) are different mutexes.
void merge_two_shards(ShardSet& s) {
  std::scoped_lock lk(s.locks[0], s.locks[1]);
  s.counts[0] += s.counts[1];
  s.counts[1] = 0;
}

// case: good
// std::lock over two mutexes, then adopted: each is acquired once.
void adopt_both(Account& a, Account& b) {
  std::lock(a.m, b.m);
  std::lock_guard<std::mutex> ga(a.m, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b.m, std::adopt_lock);
  std::swap(a.balance, b.balance);
}

// case: good
// std::try_lock did not return -1, so it holds neither mutex: falling back to std::lock is fine.
void try_then_lock(Account& a, Account& b) {
  if (std::try_lock(a.m, b.m) != -1)
    std::lock(a.m, b.m);
  a.balance += b.balance;
  b.balance = 0;
  a.m.unlock();
  b.m.unlock();
}

class Cache {
public:
  int get(int k);

private:
  int load(int k);
  std::mutex m_;
  int values_[8] = {};
};

// Locks m_ internally.
int Cache::load(int k) {
  std::lock_guard<std::mutex> g(m_);
  return values_[k & 7];
}

// case: good
// The self-locking helper is called after the guard's scope ended.
int Cache::get(int k) {
  {
    std::lock_guard<std::mutex> g(m_);
    if (values_[k & 7] != 0)
      return values_[k & 7];
  }
  return load(k);
}

struct Mailbox {
  std::mutex m;
  std::condition_variable cv;
  std::vector<int> items;
};

// case: good
// wait() releases and retakes the mutex; it is not a second acquisition.
int take(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.m);
  box.cv.wait(lk, [&] { return !box.items.empty(); });
  int v = box.items.back();
  box.items.pop_back();
  return v;
}

class Config {
public:
  int get(int k) const;
  void set(int k, int v);

private:
  mutable std::shared_mutex mu_;
  int values_[32] = {};
};

// case: good
// Shared lock released before the exclusive one is taken.
void Config::set(int k, int v) {
  {
    std::shared_lock<std::shared_mutex> r(mu_);
    if (values_[k & 31] == v)
      return;
  }
  std::unique_lock<std::shared_mutex> w(mu_);
  values_[k & 31] = v;
}

// case: good
// A reader lock in a const accessor.
int Config::get(int k) const {
  std::shared_lock<std::shared_mutex> r(mu_);
  return values_[k & 31];
}

void release_stats(Stats& s) noexcept {
  s.m.unlock();
}

// case: good
// The lock is released by a callee, then taken again.
void released_by_callee(Stats& s) {
  s.m.lock();
  ++s.hits;
  release_stats(s);
  s.m.lock();
  s.hits = 0;
  s.m.unlock();
}
