// blocking-under-lock: helpers that are handed the caller's unique_lock, unlock it themselves,
// block, and lock it again (a condition variable for any lockable written by hand, a helper that
// drops the lock around a join). While they block the caller's mutex is free; a lock the caller
// holds besides that guard, or a helper that blocks before it unlocks, is still blocking under a
// lock.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace dropped {

std::mutex inner_mu, jobs_mu, stats_mu;
std::condition_variable inner_cv;
int jobs;

// case: support
void wait_any(std::unique_lock<std::mutex>& lk) {
  std::unique_lock<std::mutex> inner(inner_mu);
  lk.unlock();
  inner_cv.wait(inner);
  inner.unlock();
  lk.lock();
}

// case: support
void join_unlocked(std::unique_lock<std::mutex>& lk, std::thread& t) {
  lk.unlock();
  t.join();
  lk.lock();
}

// case: support
void join_then_unlock(std::unique_lock<std::mutex>& lk, std::thread& t) {
  t.join();
  lk.unlock();
}

// case: good
int take() {
  std::unique_lock<std::mutex> lk(jobs_mu);
  while (jobs == 0)
    wait_any(lk);
  return --jobs;
}

// case: good
void finish(std::thread& worker) {
  std::unique_lock<std::mutex> lk(jobs_mu);
  jobs = 0;
  join_unlocked(lk, worker);
}

// case: bad
// stats_mu is not the guard's mutex: the helper keeps it held across the wait.
int take_counted(long& taken) {
  std::lock_guard<std::mutex> s(stats_mu);
  std::unique_lock<std::mutex> lk(jobs_mu);
  while (jobs == 0)
    wait_any(lk); // expect: blocking-under-lock
  ++taken;
  return --jobs;
}

// case: bad
// The join comes before the unlock.
void finish_late(std::thread& worker) {
  std::unique_lock<std::mutex> lk(jobs_mu);
  jobs = 0;
  join_then_unlock(lk, worker); // expect: blocking-under-lock
}

} // namespace dropped
