// thread-not-joined: a std::thread destroyed or move-assigned while still joinable. The destructor
// (or the move assignment) of a joinable std::thread calls std::terminate: the whole process
// aborts.
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {
std::atomic<int> g_refreshes{0};
std::atomic<bool> g_cancelled{false};
} // namespace

// case: support
void rebuild_cache() noexcept {
  g_refreshes.fetch_add(1);
}
void report_progress() noexcept {
  std::puts("importing...");
}
bool path_is_valid(const char* path) noexcept {
  return path && path[0] != '\0';
}
void poll_device(int generation) noexcept {
  std::printf("poll %d\n", generation);
}
void send_heartbeat() noexcept {
  std::puts("heartbeat");
}
void compress_chunk(int chunk) noexcept {
  std::printf("chunk %d\n", chunk);
}

// Throws on a malformed configuration: a caller must not leave a joinable thread behind.
void validate_config(const std::string& cfg) {
  if (cfg.empty())
    throw std::invalid_argument("empty configuration");
}

// case: bad
// The author expected the cache rebuild to "finish on its own": t dies joinable at the brace.
void refresh_cache_async() {
  std::thread t(rebuild_cache);
  g_refreshes.fetch_add(1);
} // expect: thread-not-joined

// case: bad
// The validation failure returns before the join: std::terminate on every bad path.
int run_import(const char* path) {
  std::thread progress(report_progress);
  if (!path_is_valid(path))
    return -1; // expect: thread-not-joined
  progress.join();
  return 0;
}

// case: bad
// Joined only when the caller asks to wait; otherwise the thread object dies joinable.
void flush_in_background(bool wait) {
  std::thread flusher(rebuild_cache);
  if (wait)
    flusher.join();
} // expect: thread-not-joined

// case: bad
// Restarting a poller by assigning a new thread over a running one terminates the process.
void restart_poller(int generation) {
  std::thread poller(poll_device, 0);
  poller = std::thread(poll_device, generation); // expect: thread-not-joined
  poller.join();
}

// case: bad
// A discarded temporary: the std::thread is destroyed at the end of the statement, still joinable.
// (With the callable alone, `std::thread(send_heartbeat);` would declare a variable instead.)
void beat_once(int generation) {
  std::thread(poll_device, generation); // expect: thread-not-joined
}

// case: bad
// .at() throws std::out_of_range for a bad index; the unwinding destroys the joinable worker:
// std::terminate.
void compress_and_record(std::vector<int>& done, int chunk) {
  std::thread worker(compress_chunk, chunk);
  done.at(static_cast<size_t>(chunk)) = 1; // expect: thread-not-joined
  worker.join();
}

// case: bad
// std::stoi throws on a malformed number while the worker is running.
int parse_while_compressing(const std::string& text) {
  std::thread worker(compress_chunk, 0);
  int n = std::stoi(text); // expect: thread-not-joined
  worker.join();
  return n;
}

// case: bad
// A project function that throws, called between the start and the join, outside any try.
void apply_config(const std::string& cfg) {
  std::thread refresher(rebuild_cache);
  validate_config(cfg); // expect: thread-not-joined
  refresher.join();
}

// case: bad
// The thread lives in an inner block that was meant to be "just the parallel part".
int parallel_section(int chunks) {
  int scheduled = 0;
  {
    std::thread t(compress_chunk, chunks);
    ++scheduled;
  } // expect: thread-not-joined
  return scheduled;
}

class Indexer {
public:
  int reindex(bool force);

private:
  static void scan() noexcept { std::puts("scan"); }
  int cached_ = 0;
};

// case: bad
// The cached shortcut returns from a member function while the scanner still runs.
int Indexer::reindex(bool force) {
  std::thread scanner(&Indexer::scan);
  if (!force && cached_ > 0)
    return cached_; // expect: thread-not-joined
  scanner.join();
  cached_ = 1;
  return cached_;
}

// case: bad
// One reader per generation: from the second iteration on, the assignment replaces a running
// thread.
void rotate_readers(int generations) {
  std::thread reader;
  for (int g = 0; g < generations; ++g)
    reader = std::thread(poll_device, g); // expect: thread-not-joined
  if (reader.joinable())
    reader.join();
}

// case: bad
// The switch's error label returns with the thread running.
int handle_command(int cmd) {
  std::thread beat(send_heartbeat);
  switch (cmd) {
  case 0:
    beat.join();
    return 0;
  case 1:
    beat.detach();
    return 1;
  default:
    return -1; // expect: thread-not-joined
  }
}

// case: bad
// Cancellation is checked after the start; the early return leaks the joinable object.
bool export_report() {
  std::thread writer(rebuild_cache);
  if (g_cancelled.load())
    return false; // expect: thread-not-joined
  writer.join();
  return true;
}

// case: bad
// A lambda thread started inside the if: its block ends without a join.
void warm_up(bool enabled) {
  if (enabled) {
    std::thread warm([] { rebuild_cache(); });
    g_refreshes.fetch_add(1);
  } // expect: thread-not-joined
}

// case: bad
// Parsing the id throws std::invalid_argument on bad input while the thread is running.
void log_and_wait(const std::string& id) {
  std::thread t(compress_chunk, 1);
  int n = std::stoi(id); // expect: thread-not-joined
  std::printf("waiting for chunk %d\n", n);
  t.join();
}
