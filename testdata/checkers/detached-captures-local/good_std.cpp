// detached-captures-local: detached threads that own everything they touch (copies, moved data,
// shared_ptr, heap objects, globals and statics), and threads that capture locals by reference but
// are joined before the locals die.
#include <atomic>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {
std::atomic<long> g_events{0};
} // namespace

// case: support
void print_line(const std::string& line) noexcept {
  std::puts(line.c_str());
}

void consume(std::unique_ptr<std::vector<int>> data) noexcept {
  g_events.fetch_add(static_cast<long>(data->size()));
}

struct Job {
  std::vector<int> input;
  long result = 0;
};

// case: good
// Copies: [=] and an explicit value capture of the locals.
void publish_copy(int n) {
  std::vector<int> values(n, 1);
  std::string label = "copy";
  std::thread([=] {
    g_events.fetch_add(std::accumulate(values.begin(), values.end(), 0L));
    std::puts(label.c_str());
  }).detach();
}

// case: good
// The data is moved into the lambda: the thread owns it.
void publish_moved(std::vector<int> values) {
  std::thread([v = std::move(values)] {
    g_events.fetch_add(static_cast<long>(v.size()));
  }).detach();
}

// case: good
// Shared ownership: the thread keeps the state alive as long as it needs it.
void publish_shared(int n) {
  auto state = std::make_shared<std::vector<int>>(n, 2);
  std::thread([state] { g_events.fetch_add(static_cast<long>(state->size())); }).detach();
}

// case: good
// A heap object handed over and deleted by the thread.
void publish_heap(int n) {
  Job* job = new Job{std::vector<int>(n, 3), 0};
  std::thread([job] {
    job->result = std::accumulate(job->input.begin(), job->input.end(), 0L);
    g_events.fetch_add(job->result);
    delete job;
  }).detach();
}

// case: good
// std::thread decay-copies its arguments, even for a function taking const std::string&.
void log_detached(int id) {
  std::string line = "job " + std::to_string(id);
  std::thread(print_line, line).detach();
}

// case: good
// A unique_ptr moved into the thread's arguments.
void hand_over_buffer(int n) {
  auto data = std::make_unique<std::vector<int>>(n);
  std::thread(consume, std::move(data)).detach();
}

// case: good
// [&] with no local used: a default capture captures nothing that is not odr-used.
void count_event() {
  std::thread([&] { g_events.fetch_add(1); }).detach();
}

// case: good
// A function-local static lives for the whole program.
void count_static() {
  static std::atomic<int> calls{0};
  std::thread([] { calls.fetch_add(1); }).detach();
}

// case: good
// Reference captures are fine when the thread is joined before the locals die.
long sum_joined(int n) {
  std::vector<int> values(n, 4);
  long total = 0;
  std::thread t([&] { total = std::accumulate(values.begin(), values.end(), 0L); });
  t.join();
  return total;
}

// case: good
// std::jthread joins in its destructor, so [&] is safe here.
long sum_jthread(int n) {
  std::vector<int> values(n, 5);
  std::atomic<long> total{0};
  {
    std::jthread t([&] { total.store(std::accumulate(values.begin(), values.end(), 0L)); });
  }
  return total.load();
}

class Cache {
public:
  void refresh_async();

private:
  std::atomic<int> generation_{0};
};

// case: good
// [this] in a member function: where the object lives is not known here.
void Cache::refresh_async() {
  std::thread([this] { generation_.fetch_add(1); }).detach();
}

// case: good
// The address of a global passed as an argument.
long g_last_sum = 0;
void sum_to_global(int n) {
  std::thread([](long* out, int k) { *out = k * 3L; }, &g_last_sum, n).detach();
}

// case: good
// A value capture of a small struct and of a number.
struct Limits {
  int low;
  int high;
};
void check_limits_async(int v) {
  Limits lim{0, 100};
  std::thread([lim, v] {
    if (v < lim.low || v > lim.high)
      g_events.fetch_add(1);
  }).detach();
}

// case: good
// A pointer to the heap copied from a local smart pointer that released ownership to the thread.
void publish_released(int n) {
  auto owned = std::make_unique<Job>();
  owned->input.assign(n, 6);
  Job* raw = owned.release();
  std::thread([raw] {
    g_events.fetch_add(static_cast<long>(raw->input.size()));
    delete raw;
  }).detach();
}

// case: good
// Joined on both branches: the reference capture never outlives the frame.
void process_joined(bool quick) {
  std::vector<int> batch(16, 7);
  std::thread t([&batch] { g_events.fetch_add(static_cast<long>(batch.size())); });
  if (quick) {
    t.join();
    return;
  }
  t.join();
}
