// lock-not-released: std::lock and std::try_lock over deferred unique_locks, which leave the
// guards owning the mutexes (their destructors release them), next to the plain mutexes those
// calls also accept (which nobody releases but the code).
#include <mutex>
#include <shared_mutex>

std::mutex g_from_mu, g_to_mu;
std::shared_mutex g_rates_mu;
long g_from_balance, g_to_balance, g_rate;

// case: good
// std::lock over two deferred unique_locks: both guards own their mutex and release it at the
// end of the scope.
void move_funds(long n) {
  std::unique_lock<std::mutex> from(g_from_mu, std::defer_lock);
  std::unique_lock<std::mutex> to(g_to_mu, std::defer_lock);
  std::lock(from, to);
  g_from_balance -= n;
  g_to_balance += n;
}

// case: good
// std::try_lock over the guards: on success (-1) both guards own their mutex, on failure none.
bool try_move_funds(long n) {
  std::unique_lock<std::mutex> from(g_from_mu, std::defer_lock);
  std::unique_lock<std::mutex> to(g_to_mu, std::defer_lock);
  if (std::try_lock(from, to) != -1)
    return false;
  g_from_balance -= n;
  g_to_balance += n;
  return true;
}

// case: good
// A shared_lock and a unique_lock locked together: lock_shared through the shared_lock.
void move_at_rate(long n) {
  std::shared_lock<std::shared_mutex> rates(g_rates_mu, std::defer_lock);
  std::unique_lock<std::mutex> from(g_from_mu, std::defer_lock);
  std::lock(rates, from);
  g_from_balance -= n * g_rate;
}

// case: good
// One guard unlocked early by hand; the other still releases its mutex at scope end.
void move_then_release_early(long n) {
  std::unique_lock<std::mutex> from(g_from_mu, std::defer_lock);
  std::unique_lock<std::mutex> to(g_to_mu, std::defer_lock);
  std::lock(to, from);
  g_from_balance -= n;
  from.unlock();
  g_to_balance += n;
}

// case: good
// std::scoped_lock over the two mutexes.
void scoped_move_funds(long n) {
  std::scoped_lock both(g_from_mu, g_to_mu);
  g_from_balance -= n;
  g_to_balance += n;
}

// case: good
// std::lock over the mutexes themselves, then adopted by two lock_guards.
void adopt_move_funds(long n) {
  std::lock(g_from_mu, g_to_mu);
  std::lock_guard<std::mutex> from(g_from_mu, std::adopt_lock);
  std::lock_guard<std::mutex> to(g_to_mu, std::adopt_lock);
  g_from_balance -= n;
  g_to_balance += n;
}

// case: good
// The guards are locked by a helper that receives them by reference: they own their mutexes
// when it returns, and release them here.
void lock_pair(std::unique_lock<std::mutex>& a, std::unique_lock<std::mutex>& b) {
  std::lock(a, b);
}
void move_funds_via_helper(long n) {
  std::unique_lock<std::mutex> from(g_from_mu, std::defer_lock);
  std::unique_lock<std::mutex> to(g_to_mu, std::defer_lock);
  lock_pair(from, to);
  g_from_balance -= n;
  g_to_balance += n;
}

// case: bad
// std::lock over a guard and a plain mutex: the guard releases g_from_mu, but the early return
// leaves g_to_mu locked.
bool move_funds_half_guarded(long n) {
  std::unique_lock<std::mutex> from(g_from_mu, std::defer_lock);
  std::lock(from, g_to_mu);
  if (n <= 0)
    return false; // expect: lock-not-released
  g_from_balance -= n;
  g_to_balance += n;
  g_to_mu.unlock();
  return true;
}

// case: bad
// The same with std::try_lock: on success the plain mutex is this function's to unlock, and the
// overdraft return forgets it.
bool try_move_funds_half_guarded(long n) {
  std::unique_lock<std::mutex> from(g_from_mu, std::defer_lock);
  if (std::try_lock(from, g_to_mu) != -1)
    return false;
  if (g_from_balance < n)
    return false; // expect: lock-not-released
  g_from_balance -= n;
  g_to_balance += n;
  g_to_mu.unlock();
  return true;
}
