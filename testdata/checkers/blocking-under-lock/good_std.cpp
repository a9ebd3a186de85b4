// blocking-under-lock: blocking calls placed correctly, and waits that release the held lock.
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <future>
#include <latch>
#include <mutex>
#include <semaphore>
#include <shared_mutex>
#include <thread>
#include <utility>
#include <vector>

struct Queue {
  std::mutex mu;
  std::condition_variable cv;
  std::condition_variable_any cv_any;
  std::shared_mutex rw;
  std::vector<int> items;
  bool closed = false;
};

// case: good
// A condition-variable wait whose mutex is the only lock held: wait() releases it.
int pop(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  q.cv.wait(lk, [&] { return !q.items.empty() || q.closed; });
  if (q.items.empty())
    return -1;
  int v = q.items.back();
  q.items.pop_back();
  return v;
}

// case: good
// Timed wait with a predicate, only lock held.
bool pop_for(Queue& q, int& out) {
  std::unique_lock<std::mutex> lk(q.mu);
  if (!q.cv.wait_for(lk, std::chrono::milliseconds(10), [&] { return !q.items.empty(); }))
    return false;
  out = q.items.back();
  q.items.pop_back();
  return true;
}

// case: good
// condition_variable_any over a unique_lock on a shared_mutex: the only lock held is released.
void wait_closed(Queue& q) {
  std::unique_lock<std::shared_mutex> lk(q.rw);
  q.cv_any.wait(lk, [&] { return q.closed; });
}

// case: good
// Manual wait loop around wait(lk) with the predicate checked by hand.
void wait_nonempty(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (q.items.empty())
    q.cv.wait(lk);
}

// case: good
// The guard's scope ends before the sleep.
void push_then_pause(Queue& q, int v) {
  {
    std::lock_guard<std::mutex> g(q.mu);
    q.items.push_back(v);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// case: good
// unique_lock unlocked before joining; the worker can take the lock to finish.
void stop(Queue& q, std::thread& worker) {
  std::unique_lock<std::mutex> lk(q.mu);
  q.closed = true;
  lk.unlock();
  q.cv.notify_all();
  worker.join();
}

// case: good
// The future is moved out under the lock and waited on after.
int take_result(std::mutex& mu, std::future<int>& shared) {
  std::future<int> mine;
  {
    std::lock_guard<std::mutex> g(mu);
    mine = std::move(shared);
  }
  return mine.valid() ? mine.get() : -1;
}

// case: good
// try_lock spin with back-off: the sleep happens only while the lock is NOT held.
void lock_with_backoff(std::mutex& mu, int& v) {
  while (!mu.try_lock())
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  ++v;
  mu.unlock();
}

// case: good
// A timed try_lock's failure branch sleeps; the success branch does not.
bool try_update(std::timed_mutex& mu, int& v) {
  if (!mu.try_lock_for(std::chrono::milliseconds(1))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return false;
  }
  ++v;
  mu.unlock();
  return true;
}

// case: good
// Non-blocking probes under a lock: semaphore try_acquire, latch count_down, barrier arrive, and a
// future polled with a zero timeout.
bool poll_all(std::mutex& mu, std::counting_semaphore<4>& sem, std::latch& l, std::barrier<>& b,
              std::future<int>& f) {
  std::lock_guard<std::mutex> g(mu);
  bool got = sem.try_acquire();
  l.count_down();
  (void)b.arrive();
  bool ready = f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  if (got)
    sem.release();
  return ready;
}

// case: good
// unique_lock moved into another guard that is unlocked before the join.
void hand_off_then_join(Queue& q, std::thread& worker) {
  std::unique_lock<std::mutex> lk(q.mu);
  q.closed = true;
  std::unique_lock<std::mutex> other(std::move(lk));
  other.unlock();
  worker.join();
}

void release(std::unique_lock<std::mutex>& lk) {
  lk.unlock();
}

// case: good
// The lock is released by a callee before the sleep.
void released_by_callee(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  q.items.clear();
  release(lk);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// case: good
// Correlated flag: the sleep runs only when the lock was not taken.
void maybe_locked_pause(Queue& q, bool lock) {
  if (lock)
    q.mu.lock();
  q.closed = false;
  if (lock)
    q.mu.unlock();
  if (!lock)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
