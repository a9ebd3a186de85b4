// unlock-not-held: correct C++ releases that a naive checker would flag.
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <utility>

struct Wallet {
  std::mutex m;
  long balance = 0;
  bool frozen = false;
};

// case: good
// An unlock wrapper: releases a lock its caller took.
void unlock_account(Wallet& a) noexcept {
  a.m.unlock();
}

// case: good
// Lock taken here, released through the wrapper.
void freeze(Wallet& a) {
  a.m.lock();
  a.frozen = true;
  unlock_account(a);
}

// case: good
// Correlated flag: unlocked only under the condition that locked it.
void bump(Wallet& a, bool shared) {
  if (shared)
    a.m.lock();
  ++a.balance;
  if (shared)
    a.m.unlock();
}

// case: good
// The try_lock result stored and tested before unlocking.
bool try_bump(Wallet& a) {
  const bool got = a.m.try_lock();
  if (got)
    ++a.balance;
  if (got)
    a.m.unlock();
  return got;
}

// case: good
// Early unlock on the error path, then return: the second unlock is on the other path only.
bool wallet_withdraw(Wallet& a, long n) {
  a.m.lock();
  if (a.frozen || a.balance < n) {
    a.m.unlock();
    return false;
  }
  a.balance -= n;
  a.m.unlock();
  return true;
}

// case: good
// unique_lock unlocked, relocked, unlocked: each unlock while owning.
void two_steps(Wallet& a) {
  std::unique_lock<std::mutex> lk(a.m);
  a.balance++;
  lk.unlock();
  lk.lock();
  a.balance++;
  lk.unlock();
}

// case: good
// release() then a manual unlock of the mutex it held.
void hand_over(Wallet& a) {
  std::unique_lock<std::mutex> lk(a.m);
  a.frozen = false;
  lk.release();
  a.m.unlock();
}

// case: good
// Unlock through the guard the lock was moved into.
void moved_then_unlock(Wallet& a) {
  std::unique_lock<std::mutex> first(a.m);
  std::unique_lock<std::mutex> second = std::move(first);
  a.balance = 0;
  second.unlock();
}

// case: good
// try_to_lock: unlock only when the guard owns the mutex.
bool try_guard(Wallet& a) {
  std::unique_lock<std::mutex> lk(a.m, std::try_to_lock);
  if (!lk.owns_lock())
    return false;
  a.balance++;
  lk.unlock();
  return true;
}

// case: good
// Deferred guard locked then unlocked explicitly.
void deferred(Wallet& a) {
  std::unique_lock<std::mutex> lk(a.m, std::defer_lock);
  lk.lock();
  a.balance--;
  lk.unlock();
}

// case: good
// Adopting guard takes over the manual lock; there is no manual unlock.
void adopt(Wallet& a) {
  a.m.lock();
  std::lock_guard<std::mutex> g(a.m, std::adopt_lock);
  a.balance = 0;
}

// case: good
// std::lock then two unlocks.
void transfer(Wallet& from, Wallet& to, long n) {
  std::lock(from.m, to.m);
  from.balance -= n;
  to.balance += n;
  from.m.unlock();
  to.m.unlock();
}

// case: good
// std::try_lock returned -1: both are held, both unlocked.
bool try_transfer(Wallet& from, Wallet& to, long n) {
  if (std::try_lock(from.m, to.m) != -1)
    return false;
  from.balance -= n;
  to.balance += n;
  from.m.unlock();
  to.m.unlock();
  return true;
}

// case: good
// Recursive mutex: two locks, two unlocks.
void nested(std::recursive_mutex& m, long& v) {
  m.lock();
  m.lock();
  ++v;
  m.unlock();
  m.unlock();
}

// case: good
// Lock and unlock within each loop iteration.
long sum_balances(Wallet* accounts, int n) {
  long total = 0;
  for (int i = 0; i < n; ++i) {
    Wallet& a = accounts[i];
    a.m.lock();
    total += a.balance;
    a.m.unlock();
  }
  return total;
}

class Directory {
public:
  int get_or_default(int k, int fallback);

private:
  std::shared_mutex mu_;
  int v_[16] = {};
};

// case: good
// Shared section released, exclusive section taken and released.
int Directory::get_or_default(int k, int fallback) {
  mu_.lock_shared();
  int v = v_[k & 15];
  mu_.unlock_shared();
  if (v != 0)
    return v;
  mu_.lock();
  v_[k & 15] = fallback;
  mu_.unlock();
  return fallback;
}

struct Mailbox {
  std::mutex m;
  std::condition_variable cv;
  int pending = 0;
};

// case: good
// wait() hands the mutex back locked; the guard is unlocked once before notifying.
void consume(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.m);
  box.cv.wait(lk, [&] { return box.pending > 0; });
  --box.pending;
  lk.unlock();
  box.cv.notify_one();
}
