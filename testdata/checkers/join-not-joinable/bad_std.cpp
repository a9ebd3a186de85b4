// join-not-joinable: join() or detach() on a std::thread that has no thread of execution: default
// constructed, moved from, already joined or already detached. Each throws std::system_error
// (invalid_argument or no_such_process); uncaught, that is std::terminate.
#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>
#include <utility>

namespace {
std::atomic<int> g_jobs_done{0};
} // namespace

// case: support
void run_job(int id) noexcept {
  g_jobs_done.fetch_add(id);
}
void store_result(std::atomic<int>& out) noexcept {
  out.store(g_jobs_done.load());
}
bool job_failed(int id) noexcept {
  return id < 0;
}

// Takes the thread by value: the argument is moved from at the call.
void adopt_thread(std::thread t) noexcept {
  if (t.joinable())
    t.join();
}

// case: bad
// The thread is only started when asked, but joined unconditionally.
void optional_background(bool enabled) {
  std::thread t;
  if (enabled)
    t = std::thread(run_job, 1);
  run_job(0);
  t.join(); // expect: join-not-joinable
}

// case: bad
// Ownership went to adopt_thread(); joining the moved-from object throws.
void delegate_and_wait() {
  std::thread t(run_job, 2);
  adopt_thread(std::move(t));
  t.join(); // expect: join-not-joinable
}

// case: bad
// A cleanup block pasted after the error handling joins a second time.
int run_checked(int id) {
  std::thread t(run_job, id);
  if (job_failed(id)) {
    t.join();
    std::puts("job failed");
  }
  t.join(); // expect: join-not-joinable
  return 0;
}

// case: bad
// Detached for "fire and forget", then joined by the shutdown code below it.
void fire_then_wait() {
  std::thread t(run_job, 3);
  t.detach();
  run_job(4);
  t.join(); // expect: join-not-joinable
}

// case: bad
// Detaching a thread that was already joined.
void join_then_detach() {
  std::thread t(run_job, 5);
  t.join();
  t.detach(); // expect: join-not-joinable
}

// case: bad
// Detached twice: the second detach has no thread to detach.
void detach_twice(bool urgent) {
  std::thread t(run_job, 6);
  t.detach();
  if (urgent)
    t.detach(); // expect: join-not-joinable
}

// case: bad
// The wait loop joins the same worker on every round.
int wait_for_result(std::atomic<int>& result) {
  std::thread t(store_result, std::ref(result));
  do {
    t.join(); // expect: join-not-joinable
  } while (result.load() < 0);
  return result.load();
}

// case: bad
// After the move assignment, `next` is empty: the "join both" left over from before the
// promotion throws.
void promote_next() {
  std::thread current;
  std::thread next(run_job, 7);
  current = std::move(next);
  current.join();
  next.join(); // expect: join-not-joinable
}

// case: bad
// Move construction leaves the source empty just like move assignment.
void handoff_then_join() {
  std::thread t(run_job, 8);
  std::thread owner(std::move(t));
  owner.join();
  t.join(); // expect: join-not-joinable
}

// case: bad
// A default-constructed placeholder detached on the "no work" path.
void detach_placeholder(int jobs) {
  std::thread t;
  if (jobs > 0) {
    t = std::thread(run_job, jobs);
    t.join();
    return;
  }
  t.detach(); // expect: join-not-joinable
}

// case: bad
// std::jthread::join throws the same way when it was already joined.
void jthread_double_join() {
  std::jthread jt(run_job, 9);
  jt.join();
  run_job(10);
  jt.join(); // expect: join-not-joinable
}
