// join-not-joinable: join() and detach() on threads that are known to be joinable on every path,
// or that are tested with joinable() first, or whose state this function cannot know.
#include <atomic>
#include <thread>
#include <utility>
#include <vector>

namespace {
std::atomic<int> g_units{0};
} // namespace

// case: support
void do_unit(int n) noexcept {
  g_units.fetch_add(n);
}

void take_thread(std::thread t) noexcept {
  if (t.joinable())
    t.join();
}

// case: good
// joinable() decides: the thread may or may not have been started.
void optional_unit(bool enabled) {
  std::thread t;
  if (enabled)
    t = std::thread(do_unit, 1);
  if (t.joinable())
    t.join();
}

// case: good
// Joined, reassigned a new thread, joined again: each join has a thread.
void two_phases() {
  std::thread t(do_unit, 1);
  t.join();
  t = std::thread(do_unit, 2);
  t.join();
}

// case: good
// A moved-from thread given a new thread before it is joined.
void hand_off_and_restart() {
  std::thread t(do_unit, 3);
  take_thread(std::move(t));
  t = std::thread(do_unit, 4);
  t.join();
}

// case: good
// Create and join in each iteration of a loop.
void unit_per_round(int rounds) {
  for (int r = 0; r < rounds; ++r) {
    std::thread t(do_unit, r);
    t.join();
  }
}

// case: good
// The same variable reused across iterations: assigned, then joined, each round.
void reuse_across_rounds(int rounds) {
  std::thread t;
  for (int r = 0; r < rounds; ++r) {
    t = std::thread(do_unit, r);
    t.join();
  }
}

// case: good
// Joined in exactly one of the two branches on every path.
int join_on_each_branch(bool fast) {
  std::thread t(do_unit, 5);
  if (fast) {
    t.join();
    return 1;
  }
  do_unit(6);
  t.join();
  return 0;
}

// case: good
// Correlated conditions: joined exactly when it was started.
void correlated(bool parallel) {
  std::thread t;
  if (parallel)
    t = std::thread(do_unit, 7);
  else
    do_unit(7);
  g_units.fetch_add(1);
  if (parallel)
    t.join();
}

// case: good
// A parameter's state is not known here; the caller is responsible for handing a running thread.
void finish(std::thread& t) {
  t.join();
}

// case: good
// A thread returned by a function is joinable as far as this caller can tell.
std::thread start_unit(int n) {
  return std::thread(do_unit, n);
}

void run_started_unit() {
  std::thread t = start_unit(8);
  t.join();
}

// case: good
// Every element of the vector is joined once.
void join_vector(int n) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back(do_unit, i);
  for (auto& th : threads)
    th.join();
}

// case: good
// Joining the thread a moved-from object was handed to, not the moved-from object.
void join_new_owner() {
  std::thread t(do_unit, 9);
  std::thread owner = std::move(t);
  owner.join();
}

// case: good
// jthread joined by hand once; its destructor checks joinable() itself.
void jthread_explicit_join() {
  std::jthread jt(do_unit, 10);
  jt.join();
}

class Service {
public:
  void start() {
    if (!worker_.joinable())
      worker_ = std::thread(&Service::loop, this);
  }
  void stop() {
    stop_.store(true);
    if (worker_.joinable())
      worker_.join();
  }
  ~Service() { stop(); }

private:
  void loop() noexcept {
    while (!stop_.load())
      std::this_thread::yield();
  }
  std::atomic<bool> stop_{false};
  std::thread worker_;
};

// case: good
// stop() may run twice (explicitly and from the destructor); joinable() makes that safe.
void run_service() {
  Service s;
  s.start();
  s.stop();
}

// case: good
// Detach once, then never touch the object again.
void detach_once(int n) {
  std::thread t(do_unit, n);
  t.detach();
}

// case: good
// The join in the loop body is guarded by joinable(), so retries are harmless.
void wait_with_retries(std::atomic<bool>& done) {
  std::thread t(do_unit, 11);
  do {
    if (t.joinable())
      t.join();
  } while (!done.load());
}
