// cv-wait-no-predicate: std::condition_variable(_any) waits that a spurious wakeup, or a
// notification sent before the wait started, gets wrong.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

struct Mailbox {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<int> items;
  bool closed = false;
};

std::mutex g_mu;
std::condition_variable g_cv;
bool g_ready = false;

// case: bad
// `if` instead of `while`: a spurious wakeup returns with g_ready still false.
void await_ready_if() {
  std::unique_lock<std::mutex> lk(g_mu);
  if (!g_ready)
    g_cv.wait(lk); // expect: cv-wait-no-predicate
}

// case: bad
// No test at all: if the producer pushed before this runs, it waits forever; a spurious wakeup
// pops from an empty deque.
int take_unchecked(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.mu);
  box.cv.wait(lk); // expect: cv-wait-no-predicate
  int v = box.items.front();
  box.items.pop_front();
  return v;
}

// case: bad
// A timed wait whose result is taken as "notified": no_timeout also comes back on a spurious
// wakeup, with nothing in the box.
bool wait_reply(Mailbox& box, std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lk(box.mu);
  if (box.cv.wait_for(lk, limit) == std::cv_status::timeout) // expect: cv-wait-no-predicate
    return false;
  return true;
}

// case: bad
// wait_until without a predicate, outside any loop.
void wait_deadline(Mailbox& box, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lk(box.mu);
  box.cv.wait_until(lk, deadline); // expect: cv-wait-no-predicate
}

struct Table {
  std::shared_mutex rw;
  std::condition_variable_any changed;
  int version = 0;
};

// case: bad
// condition_variable_any over a shared_mutex, no predicate, no loop.
int await_change(Table& t, int seen) {
  std::unique_lock<std::shared_mutex> lk(t.rw);
  if (t.version == seen)
    t.changed.wait(lk); // expect: cv-wait-no-predicate
  return t.version;
}

// case: bad
// The worker loop re-tests `closed`, but the wait is guarded by `if`: after a spurious wakeup the
// code below pops from an empty deque.
void drain(Mailbox& box, std::vector<int>& out) {
  std::unique_lock<std::mutex> lk(box.mu);
  while (!box.closed) {
    if (box.items.empty())
      box.cv.wait(lk); // expect: cv-wait-no-predicate
    out.push_back(box.items.front());
    box.items.pop_front();
  }
}

// case: bad
// Counting notifications: three wakeups are not three notifications (spurious ones count too, and
// notifications sent before the first wait are lost).
void await_three(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.mu);
  for (int i = 0; i < 3; ++i)
    box.cv.wait(lk); // expect: cv-wait-no-predicate
}

// case: bad
// The loop only re-tests the wait's own result: a spurious wakeup ends it as if notified.
void await_notify(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.mu);
  while (box.cv.wait_for(lk, std::chrono::milliseconds(10)) == // expect: cv-wait-no-predicate
         std::cv_status::timeout) {
  }
}

class Worker {
public:
  void await_start();

private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool started_ = false;
};

// case: bad
// A member wait without a predicate.
void Worker::await_start() {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait(lk); // expect: cv-wait-no-predicate
}

// case: bad
// The loop around the thread re-tests g_ready, but the wait runs in the thread's lambda, where
// nothing re-tests anything.
void run_rounds() {
  while (!g_ready) {
    std::thread t([] {
      std::unique_lock<std::mutex> lk(g_mu);
      g_cv.wait(lk); // expect: cv-wait-no-predicate
    });
    t.join();
  }
}

// case: bad
// An endless worker loop that never tests the queue before waiting: work pushed while it was busy
// waits until the next notification, and a spurious wakeup processes nothing in the best case.
void serve_forever(Mailbox& box, std::vector<int>& out) {
  std::unique_lock<std::mutex> lk(box.mu);
  for (;;) {
    box.cv.wait(lk); // expect: cv-wait-no-predicate
    out.push_back(box.items.front());
    box.items.pop_front();
  }
}

template <class T> struct Slot {
  std::mutex mu;
  std::condition_variable cv;
  T value{};
  bool full = false;
};

// case: bad
// In a template: reported once, in the template's code.
template <class T> T take_slot(Slot<T>& s) {
  std::unique_lock<std::mutex> lk(s.mu);
  s.cv.wait(lk); // expect: cv-wait-no-predicate
  s.full = false;
  return s.value;
}
int take_int(Slot<int>& s) {
  return take_slot(s);
}
long take_long(Slot<long>& s) {
  return take_slot(s);
}

// case: bad
// `do ... while (false)` runs once: it is not a loop that re-tests anything.
void wait_once(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.mu);
  do {
    box.cv.wait(lk); // expect: cv-wait-no-predicate
  } while (false);
}

// case: bad
// A retry counter is local state: five wakeups say nothing about the mailbox.
bool wait_some(Mailbox& box) {
  std::unique_lock<std::mutex> lk(box.mu);
  int tries = 0;
  while (tries < 5) {
    box.cv.wait(lk); // expect: cv-wait-no-predicate
    ++tries;
  }
  return !box.items.empty();
}

// case: bad
// One wait per expected producer: a range-for over ids re-tests nothing.
void await_producers(Mailbox& box, const std::vector<int>& ids) {
  std::unique_lock<std::mutex> lk(box.mu);
  for (int id : ids) {
    (void)id;
    box.cv.wait(lk); // expect: cv-wait-no-predicate
  }
}

// case: bad
// A switch picks how to wait; neither branch loops.
void await_mode(Mailbox& box, int mode) {
  std::unique_lock<std::mutex> lk(box.mu);
  switch (mode) {
  case 0:
    box.cv.wait(lk); // expect: cv-wait-no-predicate
    break;
  default:
    box.cv.wait_for(lk, std::chrono::seconds(1)); // expect: cv-wait-no-predicate
    break;
  }
}
