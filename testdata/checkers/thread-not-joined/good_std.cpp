// thread-not-joined: threads that are joined, detached or handed over on every path, including the
// exception paths; the hard cases are containers, members, moves and RAII joiners.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {
std::atomic<long> g_processed{0};
std::atomic<bool> g_shutdown{false};
} // namespace

// case: support
void process_shard(int shard) noexcept {
  g_processed.fetch_add(shard);
}
void drain_queue() noexcept {
  g_processed.fetch_add(1);
}
bool input_ready(int fd) noexcept {
  return fd >= 0;
}

// May throw; callers below keep their threads safe around it.
void load_table(const std::string& name) {
  if (name.empty())
    throw std::string("no table name");
}

// Takes ownership: the by-value parameter is move-constructed (noexcept) before the call.
void hand_over(std::thread t) noexcept {
  if (t.joinable())
    t.join();
}

// Joins whatever thread it is given.
void join_later(std::thread& t) noexcept {
  if (t.joinable())
    t.join();
}

// case: good
// Joined on the early-return path as well as on the normal path.
int import_file(int fd) {
  std::thread drainer(drain_queue);
  if (!input_ready(fd)) {
    drainer.join();
    return -1;
  }
  drainer.join();
  return 0;
}

// case: good
// Detached on purpose: a bounded task that touches only globals.
void schedule_drain() {
  std::thread t(drain_queue);
  t.detach();
}

// case: good
// Started only when enabled; joinable() guards the join.
void maybe_parallel(bool enabled) {
  std::thread helper;
  if (enabled)
    helper = std::thread(process_shard, 1);
  process_shard(0);
  if (helper.joinable())
    helper.join();
}

// case: good
// A vector of workers filled in one loop and joined in another.
long process_all(int shards) {
  std::vector<std::thread> workers;
  workers.reserve(shards);
  for (int i = 0; i < shards; ++i)
    workers.emplace_back(process_shard, i);
  for (std::thread& w : workers)
    w.join();
  return g_processed.load();
}

// case: good
// The same with an index loop and a range of plain arrays.
void process_fixed() {
  std::thread pool[4];
  for (int i = 0; i < 4; ++i)
    pool[i] = std::thread(process_shard, i);
  for (int i = 0; i < 4; ++i)
    pool[i].join();
}

class Pump {
public:
  Pump() : th_(&Pump::run, this) {}
  ~Pump() {
    stop_.store(true);
    th_.join();
  }
  Pump(const Pump&) = delete;
  Pump& operator=(const Pump&) = delete;

private:
  void run() noexcept {
    while (!stop_.load())
      std::this_thread::yield();
  }
  std::atomic<bool> stop_{false};
  std::thread th_;
};

// case: good
// The member thread started in the constructor is joined in the destructor.
void pump_for_a_while() {
  Pump p;
  process_shard(3);
}

class Uploader {
public:
  void start();
  ~Uploader() {
    if (th_.joinable())
      th_.join();
  }

private:
  std::thread th_;
};

// case: good
// A local thread moved into a member; the destructor joins it.
void Uploader::start() {
  if (th_.joinable())
    return;
  std::thread t(drain_queue);
  th_ = std::move(t);
}

// case: good
// Moved into another std::thread, which is joined.
void relay() {
  std::thread first(drain_queue);
  std::thread owner(std::move(first));
  owner.join();
}

// case: good
// Ownership passed to a function by value (std::move) and by reference.
void delegate_join() {
  std::thread a(process_shard, 5);
  hand_over(std::move(a));
  std::thread b(process_shard, 6);
  join_later(b);
}

// case: good
// std::jthread joins in its destructor, early return or not.
int jthread_import(int fd) {
  std::jthread drainer(drain_queue);
  if (!input_ready(fd))
    return -1;
  load_table("jobs");
  return 0;
}

// case: good
// The throwing call is inside a try whose handler joins before rethrowing.
void load_with_progress(const std::string& table) {
  std::thread progress(drain_queue);
  try {
    load_table(table);
  } catch (...) {
    progress.join();
    throw;
  }
  progress.join();
}

// case: good
// Returning the thread hands it to the caller.
std::thread start_drainer() {
  std::thread t(drain_queue);
  return t;
}

// case: good
// The caller of start_drainer() joins what it gets.
void drain_once() {
  std::thread t = start_drainer();
  t.join();
}

// Joins the referenced thread when the scope is left, normally or by an exception.
class ThreadJoiner {
public:
  explicit ThreadJoiner(std::thread& t) noexcept : t_(t) {}
  ~ThreadJoiner() {
    if (t_.joinable())
      t_.join();
  }
  ThreadJoiner(const ThreadJoiner&) = delete;
  ThreadJoiner& operator=(const ThreadJoiner&) = delete;

private:
  std::thread& t_;
};

// case: good
// An RAII joiner holds a reference to the thread: a throw from load_table is safe.
void guarded_load(const std::string& table) {
  std::thread progress(drain_queue);
  ThreadJoiner joiner(progress);
  load_table(table);
}

// case: good
// One thread per iteration, joined before the next one starts.
void sequential_batches(int batches) {
  for (int b = 0; b < batches; ++b) {
    std::thread t(process_shard, b);
    t.join();
  }
}

// case: good
// Only noexcept work (atomics, a noexcept helper, a notify) between the start and the join.
void signal_and_wait(std::condition_variable& cv) {
  std::thread t(drain_queue);
  g_shutdown.store(true);
  process_shard(2);
  cv.notify_all();
  t.join();
}

// case: good
// Every switch label joins or detaches.
void by_mode(int mode) {
  std::thread t(drain_queue);
  switch (mode) {
  case 0:
    t.detach();
    break;
  default:
    t.join();
    break;
  }
}

// case: good
// The restart joins the old thread before the new one is assigned.
void restart_cleanly(int generations) {
  std::thread current;
  for (int g = 0; g < generations; ++g) {
    if (current.joinable())
      current.join();
    current = std::thread(process_shard, g);
  }
  if (current.joinable())
    current.join();
}

// case: good
// A default-constructed thread that never runs anything needs no join.
int count_later(bool now) {
  std::thread placeholder;
  if (now)
    return 1;
  return 0;
}

// case: good
// Threads handed to a shared owner; the owner's destructor joins them.
struct ThreadBag {
  std::vector<std::thread> threads;
  ~ThreadBag() {
    for (auto& t : threads)
      if (t.joinable())
        t.join();
  }
};

void fill_bag(const std::shared_ptr<ThreadBag>& bag, int n) {
  for (int i = 0; i < n; ++i)
    bag->threads.emplace_back(process_shard, i);
}
