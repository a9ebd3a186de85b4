// detached-captures-local: a detached std::thread that can reach the creating function's stack (a
// reference capture, a pointer or reference to a local, std::ref, the address of a local object).
// The creating function returns while the thread still runs, and the thread then reads and writes
// a dead stack frame: garbage values, corrupted return addresses, crashes far from the cause.
#include <atomic>
#include <cstdio>
#include <functional>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

namespace {
std::atomic<long> g_total{0};
} // namespace

// case: support
void sum_into(const std::vector<int>& values, long* out) noexcept {
  *out = std::accumulate(values.begin(), values.end(), 0L);
}

void bump(int& counter) noexcept {
  ++counter;
}

class Reporter {
public:
  void flush() noexcept { std::printf("%d lines\n", lines_); }
  int lines_ = 0;
};

// case: bad
// [&] captures `values` and `label`; the function returns right after the detach.
void publish_sum(int n) {
  std::vector<int> values(n, 1);
  std::string label = "sum";
  std::thread([&] { // expect: detached-captures-local
    g_total.fetch_add(std::accumulate(values.begin(), values.end(), 0L));
    std::puts(label.c_str());
  })
      .detach();
}

// case: bad
// An explicit reference capture of a local counter.
void count_async() {
  int processed = 0;
  std::thread t([&processed] { ++processed; }); // expect: detached-captures-local
  t.detach();
}

// case: bad
// A pointer to a local, captured by value: the pointer is copied, the pointee is still on the
// stack.
void scan_async(int n) {
  long result = 0;
  long* out = &result;
  std::thread t([out, n] { *out = n * 2L; }); // expect: detached-captures-local
  t.detach();
}

// case: bad
// std::ref hands the thread a reference to a local vector.
void fill_async() {
  std::vector<int> buffer(64);
  long total = 0;
  std::thread t(sum_into, std::ref(buffer), &total); // expect: detached-captures-local
  t.detach();
}

// case: bad
// A member function started on a local object: the thread's `this` is a stack address.
void flush_report_async() {
  Reporter rep;
  rep.lines_ = 10;
  std::thread t(&Reporter::flush, &rep); // expect: detached-captures-local
  t.detach();
}

// case: bad
// Detached only on the background path; there the reference capture outlives the frame.
void process_batch(bool background) {
  std::vector<int> batch(32, 2);
  std::thread t([&batch] { g_total.fetch_add(batch.size()); }); // expect: detached-captures-local
  if (background)
    t.detach();
  else
    t.join();
}

// case: bad
// A reference bound to a local, captured by reference.
void watch_settings() {
  std::string settings = "verbose";
  const std::string& active = settings;
  std::thread t([&active] { std::puts(active.c_str()); }); // expect: detached-captures-local
  t.detach();
}

// case: bad
// An init-capture of a local's address.
void tally_async(int n) {
  int tally = n;
  std::thread t([p = &tally] { ++*p; }); // expect: detached-captures-local
  t.detach();
}

// case: bad
// A local mutex shared with a detached thread by reference: it dies while the thread uses it.
void log_async(int id) {
  std::mutex log_mu;
  std::thread t([&log_mu, id] { // expect: detached-captures-local
    std::lock_guard<std::mutex> g(log_mu);
    std::printf("job %d\n", id);
  });
  t.detach();
}

// case: bad
// std::cref is a reference too.
void count_words_async() {
  std::vector<int> words(8, 3);
  static long result = 0;
  std::thread(sum_into, std::cref(words), &result).detach(); // expect: detached-captures-local
}

class Server {
public:
  void accept_one(int fd);

private:
  std::atomic<int> served_{0};
};

// case: bad
// [&] in a member function captures the local `peer` (this is fine, the local is not).
void Server::accept_one(int fd) {
  std::string peer = "fd" + std::to_string(fd);
  std::thread([&] { // expect: detached-captures-local
    served_.fetch_add(1);
    std::puts(peer.c_str());
  })
      .detach();
}

// case: bad
// The address of a local counter passed to a function taking int& through std::ref.
void bump_async() {
  int hits = 0;
  std::thread(bump, std::ref(hits)).detach(); // expect: detached-captures-local
}

// case: bad
// The lambda is built first and copied into the thread: the copy still refers to `seen`.
void remember_async(int id) {
  std::vector<int> seen{id};
  auto task = [&seen] { g_total.fetch_add(static_cast<long>(seen.size())); };
  std::thread(task).detach(); // expect: detached-captures-local
}
