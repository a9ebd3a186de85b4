// thread-local-escape: thread_local data that stays with its thread: used by name in each thread
// (every thread gets its own), copied into other threads, passed by address only to code running on
// the same thread, or thread_local pointers whose pointee is ordinary heap data.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct Buffer {
  char data[128];
  std::size_t len = 0;
};

namespace {
thread_local long tl_ops = 0;
thread_local Buffer tl_buffer;
thread_local std::string tl_user = "anonymous";
thread_local Buffer* tl_active = nullptr;
thread_local std::unique_ptr<Buffer> tl_owned;
std::atomic<long> g_ops_total{0};
Buffer g_shared_buffer;
Buffer* g_default_buffer = nullptr;
} // namespace

// case: support
void append(Buffer* b, const char* s) noexcept {
  std::size_t n = std::strlen(s);
  if (b->len + n < sizeof b->data) {
    std::memcpy(b->data + b->len, s, n);
    b->len += n;
  }
}

void show_user(const std::string& user) noexcept {
  std::puts(user.c_str());
}

void add_ops(long ops) noexcept {
  g_ops_total.fetch_add(ops);
}

// case: good
// Each thread uses its own tl_ops by name and reports the value through an atomic.
void count_per_thread(int n) {
  std::vector<std::thread> workers;
  for (int i = 0; i < n; ++i)
    workers.emplace_back([] {
      ++tl_ops;
      g_ops_total.fetch_add(tl_ops);
    });
  for (auto& w : workers)
    w.join();
}

// case: good
// [&] does not capture a thread_local: inside the lambda the name means the new thread's copy.
void append_in_worker() {
  std::thread t([&] { append(&tl_buffer, "worker"); });
  append(&tl_buffer, "creator");
  t.join();
}

// case: good
// The value is copied into the thread (std::thread decay-copies its arguments).
void report_ops() {
  std::thread t(add_ops, tl_ops);
  t.join();
}

// case: good
// The string is copied too, even though show_user takes a reference.
void show_user_async() {
  std::thread t(show_user, tl_user);
  t.join();
}

// case: good
// An init-capture by value.
void report_user_length() {
  std::thread t([len = tl_user.size()] { add_ops(static_cast<long>(len)); });
  t.join();
}

// case: good
// The address goes to a function that runs on this thread.
void greet() {
  append(&tl_buffer, "hello");
  std::memset(&tl_buffer, 0, sizeof tl_buffer);
}

// case: good
// A local pointer to the thread_local, used only here.
std::size_t buffer_room() {
  Buffer* b = &tl_buffer;
  return sizeof b->data - b->len;
}

// case: good
// A thread_local pointer may point at this thread's own thread_local: both are per thread.
void activate_local_buffer() {
  tl_active = &tl_buffer;
  append(tl_active, "active");
}

// case: good
// An accessor returns this thread's slot to its caller, on the same thread.
Buffer* this_thread_buffer() {
  return &tl_buffer;
}

// case: good
// A thread_local owner of heap data: the heap object itself may be handed over.
void share_owned_copy() {
  if (!tl_owned)
    tl_owned = std::make_unique<Buffer>();
  auto copy = std::make_shared<Buffer>(*tl_owned);
  std::thread t([copy] { append(copy.get(), "copy"); });
  t.join();
}

// case: good
// A pointer to an ordinary global, handed to another thread.
void use_shared_buffer() {
  std::thread t(append, &g_shared_buffer, "shared");
  t.join();
}

// case: good
// An ordinary global pointer pointed at an ordinary global.
void set_default_buffer() {
  g_default_buffer = &g_shared_buffer;
}

// case: good
// std::jthread whose entry uses its own thread_local by name.
void count_with_jthread() {
  std::jthread t([] { ++tl_ops; });
}

// case: good
// A local struct (not shared) that refers to this thread's buffer.
struct Cursor {
  Buffer* target;
  void put(const char* s) noexcept { append(target, s); }
};

void write_with_cursor() {
  Cursor c{&tl_buffer};
  c.put("cursor");
}
