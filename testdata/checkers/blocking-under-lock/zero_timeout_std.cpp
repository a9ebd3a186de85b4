// blocking-under-lock: C++ waits with a zero timeout and try_* operations under a lock do not
// block; the same waits with a real timeout do.
#include <chrono>
#include <future>
#include <mutex>
#include <semaphore>

using namespace std::chrono_literals;

class Dispatcher {
public:
  // case: good
  // Polling a future's readiness with a zero wait while holding the state lock.
  bool result_ready() {
    std::lock_guard<std::mutex> g(mu_);
    return pending_.valid() && pending_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }

  // case: good
  // The zero written as a chrono literal and as duration::zero().
  bool result_ready_literal() {
    std::lock_guard<std::mutex> g(mu_);
    bool a = pending_.wait_for(0ms) == std::future_status::ready;
    bool b = pending_.wait_for(std::chrono::milliseconds::zero()) == std::future_status::ready;
    return a || b;
  }

  // case: good
  // Semaphore slots taken without waiting: try_acquire and try_acquire_for(0).
  bool grab_slot() {
    std::lock_guard<std::mutex> g(mu_);
    if (slots_.try_acquire())
      return true;
    return slots_.try_acquire_for(0s);
  }

  // case: bad
  // Waiting up to a second for the result with the lock held.
  bool result_wait() {
    std::lock_guard<std::mutex> g(mu_);
    return pending_.wait_for(1s) == std::future_status::ready; // expect: blocking-under-lock
  }

private:
  std::mutex mu_;
  std::future<int> pending_;
  std::counting_semaphore<8> slots_{8};
};
