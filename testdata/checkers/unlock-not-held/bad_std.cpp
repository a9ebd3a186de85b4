// unlock-not-held: releasing a std mutex, or a guard, that this thread does not hold at that point.
// Unlocking a std::mutex the thread does not own is undefined behaviour; a unique_lock that does
// not own throws std::system_error.
#include <mutex>
#include <shared_mutex>
#include <utility>

struct Account {
  std::mutex m;
  long balance = 0;
  bool frozen = false;
};

// case: bad
// The frozen branch already unlocked; the shared tail unlocks a second time.
bool withdraw(Account& a, long n) {
  a.m.lock();
  bool ok = !a.frozen && a.balance >= n;
  if (!ok)
    a.m.unlock();
  if (ok)
    a.balance -= n;
  a.m.unlock(); // expect: unlock-not-held
  return ok;
}

// case: bad
// A deferred guard that never locked is unlocked.
void deferred_unlock(Account& a) {
  std::unique_lock<std::mutex> lk(a.m, std::defer_lock);
  a.frozen = true;
  lk.unlock(); // expect: unlock-not-held
}

// case: bad
// A deferred guard locked on only one branch is unlocked on both.
void conditional_lock(Account& a, bool update) {
  std::unique_lock<std::mutex> lk(a.m, std::defer_lock);
  if (update)
    lk.lock();
  a.balance += update ? 1 : 0;
  lk.unlock(); // expect: unlock-not-held
}

// case: bad
// The guard was moved from: it owns nothing any more.
std::unique_lock<std::mutex> moved_from(Account& a) {
  std::unique_lock<std::mutex> lk(a.m);
  std::unique_lock<std::mutex> keeper(std::move(lk));
  a.balance = 0;
  lk.unlock(); // expect: unlock-not-held
  return keeper;
}

// case: bad
// unique_lock::unlock() twice.
void unlock_twice(Account& a) {
  std::unique_lock<std::mutex> lk(a.m);
  a.balance++;
  lk.unlock();
  a.frozen = false;
  lk.unlock(); // expect: unlock-not-held
}

// case: bad
// release() disassociates the guard; unlocking the guard afterwards is an error (and the mutex is
// unlocked by hand first).
void released_guard(Account& a) {
  std::unique_lock<std::mutex> lk(a.m);
  lk.release();
  a.m.unlock();
  lk.unlock(); // expect: unlock-not-held
}

// case: bad
// The adopting guard already unlocked at the end of its scope; the manual unlock is a second one.
void adopt_then_unlock(Account& a) {
  a.m.lock();
  {
    std::lock_guard<std::mutex> g(a.m, std::adopt_lock);
    a.balance = 0;
  }
  a.m.unlock(); // expect: unlock-not-held
}

class Catalog {
public:
  int lookup(int k);

private:
  std::shared_mutex mu_;
  int v_[16] = {};
};

// case: bad
// shared_lock unlocked twice on the miss path.
int Catalog::lookup(int k) {
  std::shared_lock<std::shared_mutex> r(mu_);
  int v = v_[k & 15];
  r.unlock();
  if (v == 0)
    r.unlock(); // expect: unlock-not-held
  return v;
}

// case: bad
// try_lock's result ignored: the unlock runs even when try_lock failed.
void ignore_try_result(Account& a) {
  bool got = a.m.try_lock();
  (void)got;
  a.balance++;
  a.m.unlock(); // expect: unlock-not-held
}

void finish(Account& a) noexcept {
  a.frozen = false;
  a.m.unlock();
}

// case: bad
// finish() already released the lock (it is an unlock wrapper); the caller unlocks again.
void close_account(Account& a) {
  a.m.lock();
  a.balance = 0;
  finish(a);
  a.m.unlock(); // expect: unlock-not-held
}

// case: bad
// A local mutex that was never locked.
int local_never_locked() {
  std::mutex m;
  int v = 42;
  m.unlock(); // expect: unlock-not-held
  return v;
}
