// flags: -std=c++17 -pthread
// cv-wait-no-predicate fixes: a wait guarded by an `if` that states the whole condition becomes a
// `while` (a timed wait: the predicate overload); where the condition is not evident, no fix.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <pthread.h>
#include <threads.h>

std::mutex g_mu;
std::condition_variable g_cv;
bool g_ready = false;
std::deque<int> g_items;

void await_ready() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!g_ready)
    g_cv.wait(lk); // fixed: cv-wait-no-predicate
}

int take() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (g_items.empty()) {
    g_cv.wait(lk); // fixed: cv-wait-no-predicate
  }
  int v = g_items.front();
  g_items.pop_front();
  return v;
}

// A local declared before the wait is declared again on each round.
void await_with_local(int spare) {
  std::unique_lock<std::mutex> lk(g_mu);
  if (g_items.size() < 4) {
    int wanted = spare * 2;
    (void)wanted;
    g_cv.wait(lk); // fixed: cv-wait-no-predicate
  }
}

class Gate {
public:
  void pass() {
    std::unique_lock<std::mutex> lk(mu_);
    if (!open_.load())
      cv_.wait(lk); // fixed: cv-wait-no-predicate
  }
  bool wait_briefly() {
    std::unique_lock<std::mutex> lk(mu_);
    if (!open_)
      cv_.wait_for(lk, std::chrono::milliseconds(50)); // fixed: cv-wait-no-predicate
    return true;
  }

private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  std::atomic<bool> open_{false};
};

void until_deadline(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(g_mu);
  if (g_items.empty()) {
    g_cv.wait_until(lk, deadline); // fixed: cv-wait-no-predicate
  }
  g_items.clear();
}

struct Channel {
  pthread_mutex_t lock;
  pthread_cond_t nonempty;
  int count;
};

void channel_await(Channel* c) {
  pthread_mutex_lock(&c->lock);
  if (c->count == 0)
    pthread_cond_wait(&c->nonempty, &c->lock); // fixed: cv-wait-no-predicate
  --c->count;
  pthread_mutex_unlock(&c->lock);
}

mtx_t g_mtx;
cnd_t g_cnd;
int g_flag = 0;

void c11_await() {
  mtx_lock(&g_mtx);
  if (!g_flag)
    cnd_wait(&g_cnd, &g_mtx); // fixed: cv-wait-no-predicate
  mtx_unlock(&g_mtx);
}

// Not fixed: no condition at all; what the wait is for is not evident.
void bare_wait() {
  std::unique_lock<std::mutex> lk(g_mu);
  g_cv.wait(lk); // kept: cv-wait-no-predicate
  g_items.clear();
}

// Not fixed: the code after the wait tests the condition again and handles it not holding.
int take_or_fail() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (g_items.empty())
    g_cv.wait(lk); // kept: cv-wait-no-predicate
  if (g_items.empty())
    return -1;
  return g_items.front();
}

// Not fixed: the result says whether the wait was notified.
bool report_ready() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!g_ready)
    g_cv.wait(lk); // kept: cv-wait-no-predicate
  return g_ready;
}

// Not fixed: the condition has a side effect that a loop would repeat.
int g_polls = 0;
void counting_condition() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (++g_polls < 3 && !g_ready)
    g_cv.wait(lk); // kept: cv-wait-no-predicate
}

// Not fixed: a statement before the wait would run again on every wakeup.
int g_waiters = 0;
void registers_waiter() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!g_ready) {
    ++g_waiters;
    g_cv.wait(lk); // kept: cv-wait-no-predicate
  }
}

// Not fixed: an else branch.
void with_else() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!g_ready)
    g_cv.wait(lk); // kept: cv-wait-no-predicate
  else
    g_items.clear();
}

// Not fixed: a timed wait whose result is used.
bool timed_result() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!g_ready)
    return g_cv.wait_for(lk, std::chrono::seconds(1)) == // kept: cv-wait-no-predicate
           std::cv_status::no_timeout;
  return true;
}

// Not fixed: pthread_cond_timedwait has no predicate form and a loop needs its result.
void channel_await_until(Channel* c, const timespec* deadline) {
  pthread_mutex_lock(&c->lock);
  if (c->count == 0)
    pthread_cond_timedwait(&c->nonempty, &c->lock, deadline); // kept: cv-wait-no-predicate
  pthread_mutex_unlock(&c->lock);
}

// Not fixed: inside a loop that tests something else the wait may be woken for (a shutdown).
bool g_closed = false;
void worker() {
  std::unique_lock<std::mutex> lk(g_mu);
  while (!g_closed) {
    if (g_items.empty())
      g_cv.wait(lk); // kept: cv-wait-no-predicate
    g_items.pop_front();
  }
}

// Not fixed: the condition calls a user function, which may do anything.
bool user_check();
void user_condition() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!user_check())
    g_cv.wait(lk); // kept: cv-wait-no-predicate
}

// In a template: the condition does not depend on the parameter, so every instantiation agrees.
template <class T> class Slot {
public:
  T get() {
    std::unique_lock<std::mutex> lk(mu_);
    if (!full_)
      cv_.wait(lk); // fixed: cv-wait-no-predicate
    return value_;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool full_ = false;
  T value_{};
};
template class Slot<int>;

// Not fixed: the condition depends on the parameter, so the template itself cannot tell.
template <class T> class Queue {
public:
  T pop() {
    std::unique_lock<std::mutex> lk(mu_);
    if (items_.empty())
      cv_.wait(lk); // kept: cv-wait-no-predicate
    T v = items_.front();
    items_.pop_front();
    return v;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
};
template class Queue<int>;
