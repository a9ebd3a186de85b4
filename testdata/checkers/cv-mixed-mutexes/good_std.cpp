// cv-mixed-mutexes: condition variables that are always waited on with their own mutex.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <shared_mutex>

struct Channel {
  std::mutex mu;
  std::condition_variable not_empty;
  std::condition_variable not_full;
  std::deque<int> items;
  unsigned capacity = 8;
};

// case: good
// Two condition variables sharing one mutex: the usual bounded buffer.
void channel_put(Channel& c, int v) {
  std::unique_lock<std::mutex> lk(c.mu);
  c.not_full.wait(lk, [&] { return c.items.size() < c.capacity; });
  c.items.push_back(v);
  c.not_empty.notify_one();
}
int channel_get(Channel& c) {
  std::unique_lock<std::mutex> lk(c.mu);
  c.not_empty.wait(lk, [&] { return !c.items.empty(); });
  int v = c.items.front();
  c.items.pop_front();
  c.not_full.notify_one();
  return v;
}

// case: good
// Two objects of one class, each waited on with its own mutex: the declarations agree.
void channel_drain_two(Channel& a, Channel& b) {
  {
    std::unique_lock<std::mutex> lk(a.mu);
    a.not_empty.wait(lk, [&] { return !a.items.empty(); });
  }
  std::unique_lock<std::mutex> lk(b.mu);
  b.not_empty.wait(lk, [&] { return !b.items.empty(); });
}

// case: good
// A helper that waits on whatever it is given: its parameters name no declaration.
void wait_on(std::condition_variable& cv, std::mutex& m, const bool& flag) {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [&] { return flag; });
}

std::mutex g_first_mu;
std::mutex g_second_mu;
std::condition_variable g_first_cv;
std::condition_variable g_second_cv;
bool g_first = false;
bool g_second = false;

// case: good
// The helper used with two different pairs: each pair is consistent.
void use_helper() {
  wait_on(g_first_cv, g_first_mu, g_first);
  wait_on(g_second_cv, g_second_mu, g_second);
}

struct Table {
  std::shared_mutex rw;
  std::condition_variable_any changed;
  int version = 0;
};

// case: good
// condition_variable_any through a unique_lock and through a shared_lock of the same
// shared_mutex, and with the mutex itself: one mutex.
void table_await_exclusive(Table& t, int seen) {
  std::unique_lock<std::shared_mutex> lk(t.rw);
  t.changed.wait(lk, [&] { return t.version != seen; });
}
void table_await_shared(Table& t, int seen) {
  std::shared_lock<std::shared_mutex> lk(t.rw);
  t.changed.wait(lk, [&] { return t.version != seen; });
}
void table_await_direct(Table& t, int seen) {
  t.rw.lock();
  t.changed.wait(t.rw, [&] { return t.version != seen; });
  t.rw.unlock();
}

// case: good
// Locals with the same names in two functions are different condition variables.
void local_one() {
  std::mutex m;
  std::condition_variable cv;
  bool done = true;
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [&] { return done; });
}
void local_two() {
  std::mutex other;
  std::condition_variable cv;
  bool done = true;
  std::unique_lock<std::mutex> lk(other);
  cv.wait(lk, [&] { return done; });
}

// case: good
// A reference to the same mutex is the same mutex.
void await_first_ref() {
  std::mutex& m = g_first_mu;
  std::unique_lock<std::mutex> lk(m);
  g_first_cv.wait(lk, [] { return g_first; });
}

struct Inbox {
  std::mutex mu;
  std::condition_variable cv;
  bool full = false;
};
struct Outbox {
  std::mutex mu;
  std::condition_variable cv;
  bool full = false;
};

// case: good
// Two classes with members of the same names: Inbox::cv and Outbox::cv are different.
void await_boxes(Inbox& in, Outbox& out) {
  {
    std::unique_lock<std::mutex> lk(in.mu);
    in.cv.wait(lk, [&] { return in.full; });
  }
  std::unique_lock<std::mutex> lk(out.mu);
  out.cv.wait(lk, [&] { return out.full; });
}

template <class T> class Slot {
public:
  T take() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return full_; });
    full_ = false;
    return value_;
  }
  bool take_for(T& out) {
    std::unique_lock<std::mutex> lk(mu_);
    if (!cv_.wait_for(lk, std::chrono::milliseconds(5), [this] { return full_; }))
      return false;
    out = value_;
    return true;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  T value_{};
  bool full_ = false;
};

// case: good
// Instantiations of one class template each wait with their own mu_.
long take_slots(Slot<int>& a, Slot<long>& b) {
  long v = 0;
  return a.take() + b.take() + (b.take_for(v) ? v : 0);
}

// case: good
// A guard constructed with defer_lock, then locked: it still guards g_second_mu.
void await_second_deferred() {
  std::unique_lock<std::mutex> lk(g_second_mu, std::defer_lock);
  lk.lock();
  g_second_cv.wait(lk, [] { return g_second; });
}
