// cv-wait-no-predicate: waits that re-test the shared condition, however the loop is written.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <latch>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

struct Queue {
  std::mutex mu;
  std::condition_variable cv;
  std::condition_variable_any cv_any;
  std::deque<int> items;
  bool closed = false;
  bool finished = false;
};

std::mutex s_mu;
std::condition_variable s_cv;
bool s_ready = false;
bool s_stop = false;

void tick();

// case: good
// The predicate overload loops internally.
int pop(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  q.cv.wait(lk, [&] { return !q.items.empty() || q.closed; });
  if (q.items.empty())
    return -1;
  int v = q.items.front();
  q.items.pop_front();
  return v;
}

// case: good
// The classic hand-written loop.
void await_ready() {
  std::unique_lock<std::mutex> lk(s_mu);
  while (!s_ready)
    s_cv.wait(lk);
}

// case: good
// An endless loop whose exit tests the shared flag before every wait.
void await_ready_for_loop() {
  std::unique_lock<std::mutex> lk(s_mu);
  for (;;) {
    if (s_ready)
      break;
    s_cv.wait(lk);
  }
}

// case: good
// do/while: the test comes after the wait, and loops back to it.
void await_ready_do() {
  std::unique_lock<std::mutex> lk(s_mu);
  do {
    s_cv.wait(lk);
  } while (!s_ready);
}

// case: good
// wait_for as a bounded sleep in a loop that re-tests the stop flag: the result only decides
// whether the periodic work is due.
void ticker() {
  std::unique_lock<std::mutex> lk(s_mu);
  while (!s_stop) {
    if (s_cv.wait_for(lk, std::chrono::milliseconds(100)) == std::cv_status::timeout)
      tick();
  }
}

// case: good
// An early exit inside the loop, then the wait.
int pop_or_close(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (q.items.empty()) {
    if (q.closed)
      return -1;
    q.cv.wait(lk);
  }
  int v = q.items.front();
  q.items.pop_front();
  return v;
}

// case: good
// wait_until in a loop; the timeout path returns what the shared state says.
bool await_until(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(s_mu);
  while (!s_ready)
    if (s_cv.wait_until(lk, deadline) == std::cv_status::timeout)
      return s_ready;
  return true;
}

// case: good
// A local flag refreshed from shared state after every wakeup.
void await_finished(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  bool done = false;
  while (!done) {
    q.cv.wait(lk);
    done = q.finished;
  }
}

// case: good
// A local atomic set by the thread: it is shared state although it is a local.
void start_and_wait_atomic() {
  std::mutex m;
  std::condition_variable cv;
  std::atomic<bool> flag{false};
  std::thread t([&] {
    flag = true;
    std::lock_guard<std::mutex> g(m);
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lk(m);
    while (!flag)
      cv.wait(lk);
  }
  t.join();
}

// case: good
// A plain local bool captured by reference is written by the thread: shared.
void start_and_wait_local() {
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  std::thread t([&] {
    {
      std::lock_guard<std::mutex> g(m);
      ready = true;
    }
    cv.notify_one();
  });
  {
    std::unique_lock<std::mutex> lk(m);
    while (!ready)
      cv.wait(lk);
  }
  t.join();
}

// case: good
// condition_variable_any with a stop token and a predicate.
void consume_until_stopped(Queue& q, std::stop_token st, std::vector<int>& out) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (q.cv_any.wait(lk, st, [&] { return !q.items.empty(); })) {
    out.push_back(q.items.front());
    q.items.pop_front();
  }
}

// case: good
// Wait first, then test and leave: the exit is controlled by the shared state.
void await_item(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (true) {
    q.cv.wait(lk);
    if (!q.items.empty())
      break;
  }
}

// case: good
// `if` inside the loop, but the other branch consumes: nothing runs after a spurious wakeup but
// the loop's own re-test.
void serve(Queue& q, std::vector<int>& out) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (!q.closed) {
    if (q.items.empty())
      q.cv.wait(lk);
    else {
      out.push_back(q.items.front());
      q.items.pop_front();
    }
  }
}

// case: good
// `if` with `continue`: a wakeup goes straight back to the loop's test.
void serve_continue(Queue& q, std::vector<int>& out) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (!q.closed) {
    if (q.items.empty()) {
      q.cv.wait(lk);
      continue;
    }
    out.push_back(q.items.front());
    q.items.pop_front();
  }
}

// case: good
// `if` whose wait is followed by a re-test before anything else.
void serve_retest(Queue& q, std::vector<int>& out) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (!q.closed) {
    if (q.items.empty())
      q.cv.wait(lk);
    if (q.items.empty())
      continue;
    out.push_back(q.items.front());
    q.items.pop_front();
  }
}

// case: good
// A timed wait with a predicate, used as a bounded wait.
bool pop_within(Queue& q, int& out) {
  std::unique_lock<std::mutex> lk(q.mu);
  if (!q.cv.wait_for(lk, std::chrono::milliseconds(50), [&] { return !q.items.empty(); }))
    return false;
  out = q.items.front();
  q.items.pop_front();
  return true;
}

template <class T> class Channel {
public:
  T receive() {
    std::unique_lock<std::mutex> lk(mu_);
    while (!full_)
      cv_.wait(lk);
    full_ = false;
    return value_;
  }
  T receive_pred() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return full_; });
    full_ = false;
    return value_;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  T value_{};
  bool full_ = false;
};

// case: good
// Loops and predicates in a class template and its instantiations.
int receive_both(Channel<int>& c) {
  return c.receive() + c.receive_pred();
}

// case: good
// A named predicate object.
void await_named_predicate(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  auto has_work = [&] { return !q.items.empty() || q.closed; };
  q.cv.wait(lk, has_work);
}

bool ready_now(const Queue& q);

// case: good
// The loop condition is a call: whatever it reads, it reads it again after each wakeup.
void await_call(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (!ready_now(q))
    q.cv.wait(lk);
}

// case: good
// A spin limit and the shared flag in one condition.
void await_bounded() {
  std::unique_lock<std::mutex> lk(s_mu);
  for (int spins = 0; !s_ready && spins < 100; ++spins)
    s_cv.wait_for(lk, std::chrono::milliseconds(1));
}

class Event {
public:
  void wait() {}
  void wait_for(int) {}
};

// case: good
// Other things called wait: a user class, a future, a latch, an atomic. None is a condition
// variable.
void other_waits(Event& e, std::future<int>& f, std::latch& l, std::atomic<int>& a) {
  e.wait();
  e.wait_for(3);
  f.wait();
  l.wait();
  a.wait(0);
}

// case: good
// The wait sits in the condition of a loop that also tests shared state.
void await_or_timeout(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  while (q.items.empty() &&
         q.cv.wait_for(lk, std::chrono::milliseconds(5)) == std::cv_status::no_timeout) {
  }
}
