// cv-mixed-mutexes: std::condition_variable(_any) waited on through guards of different mutexes.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <shared_mutex>

struct Queue {
  std::mutex mu;
  std::mutex stats_mu;
  std::condition_variable cv;
  std::deque<int> items;
  int readers = 0;
};

// case: bad
// Queue::cv through a unique_lock of Queue::mu in pop, of Queue::stats_mu in await_reader.
int pop(Queue& q) {
  std::unique_lock<std::mutex> lk(q.mu);
  q.cv.wait(lk, [&] { return !q.items.empty(); });
  int v = q.items.front();
  q.items.pop_front();
  return v;
}
void await_reader(Queue& q) {
  std::unique_lock<std::mutex> lk(q.stats_mu);
  q.cv.wait(lk, [&] { return q.readers > 0; }); // expect: cv-mixed-mutexes
}

class Service {
public:
  void await_ready();
  void await_flushed();

private:
  std::mutex mu_;
  std::mutex io_mu_;
  std::condition_variable cv_;
  bool ready_ = false;
  bool flushed_ = false;
};

// case: bad
// A member condition variable with mu_ in one method and io_mu_ in another.
void Service::await_ready() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!ready_)
    cv_.wait(lk);
}
void Service::await_flushed() {
  std::unique_lock<std::mutex> lk(io_mu_);
  while (!flushed_)
    cv_.wait(lk); // expect: cv-mixed-mutexes
}

struct Table {
  std::mutex plain;
  std::shared_mutex rw;
  std::condition_variable_any changed;
  int version = 0;
};

// case: bad
// condition_variable_any: the plain mutex passed directly here, a unique_lock of the
// shared_mutex there.
void await_version_plain(Table& t, int seen) {
  t.plain.lock();
  t.changed.wait(t.plain, [&] { return t.version != seen; });
  t.plain.unlock();
}
void await_version_rw(Table& t, int seen) {
  std::unique_lock<std::shared_mutex> lk(t.rw);
  t.changed.wait(lk, [&] { return t.version != seen; }); // expect: cv-mixed-mutexes
}

std::mutex g_a;
std::mutex g_b;
std::condition_variable g_cv;
bool g_flag = false;

// case: bad
// A reference bound to another mutex is that mutex: g_cv with g_a, then through `m` = g_b.
void await_flag_a() {
  std::unique_lock<std::mutex> lk(g_a);
  g_cv.wait(lk, [] { return g_flag; });
}
void await_flag_ref() {
  std::mutex& m = g_b;
  std::unique_lock<std::mutex> lk(m);
  g_cv.wait(lk, [] { return g_flag; }); // expect: cv-mixed-mutexes
}

// case: bad
// A local condition variable and two local mutexes in one function.
void local_pair(bool which) {
  std::mutex m1;
  std::mutex m2;
  std::condition_variable cv;
  bool done = true;
  if (which) {
    std::unique_lock<std::mutex> lk(m1);
    cv.wait(lk, [&] { return done; });
  } else {
    std::unique_lock<std::mutex> lk(m2, std::defer_lock);
    lk.lock();
    cv.wait(lk, [&] { return done; }); // expect: cv-mixed-mutexes
  }
}

// case: bad
// A class template: Box::cv_ with mu_ and with peek_mu_ (reported in the template's code, once).
template <class T> class Box {
public:
  T get() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return full_; });
    return value_;
  }
  T peek() {
    std::unique_lock<std::mutex> lk(peek_mu_);
    cv_.wait(lk, [this] { return full_; }); // expect: cv-mixed-mutexes
    return value_;
  }

private:
  std::mutex mu_;
  std::mutex peek_mu_;
  std::condition_variable cv_;
  T value_{};
  bool full_ = false;
};

int use_box(Box<int>& b, Box<long>& c) {
  return b.get() + b.peek() + static_cast<int>(c.peek());
}
