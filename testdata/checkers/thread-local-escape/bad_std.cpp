// thread-local-escape: the address of (or a reference to) a thread_local variable handed to another
// thread. The other thread then works on the creator's copy, not its own: the two race on it
// without any lock (thread_local data is never locked, it is assumed private), and the object dies
// when the creating thread exits, leaving the receiver with a dangling pointer.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

struct Arena {
  char bytes[4096];
  std::size_t used = 0;
};

struct Scratch {
  char text[256];
};

namespace {
thread_local Scratch tl_scratch;
thread_local long tl_counter = 0;
thread_local int tl_last_error = 0;
thread_local Arena tl_arena;
thread_local std::string tl_request_id;
thread_local std::vector<int> tl_batch;
} // namespace

Arena* g_current_arena = nullptr;

// case: support
void fill_scratch(Scratch* s) noexcept {
  std::snprintf(s->text, sizeof s->text, "worker");
}

void bump_counter(long& c) noexcept {
  ++c;
}

void print_id(const std::string& id) noexcept {
  std::puts(id.c_str());
}

// case: bad
// The worker writes the creator's scratch buffer while the creator formats into it too.
void format_in_parallel() {
  std::thread t(fill_scratch, &tl_scratch); // expect: thread-local-escape
  std::snprintf(tl_scratch.text, sizeof tl_scratch.text, "creator");
  t.join();
}

// case: bad
// std::ref hands over the creator's counter: two threads increment it without synchronisation.
void count_in_parallel() {
  std::thread t(bump_counter, std::ref(tl_counter)); // expect: thread-local-escape
  ++tl_counter;
  t.join();
}

// case: bad
// A pointer to the thread_local error slot captured by a detached thread: it dangles once the
// creating thread exits.
void reset_error_later() {
  int* slot = &tl_last_error;
  std::thread([slot] { *slot = 0; }).detach(); // expect: thread-local-escape
}

// case: bad
// Publishing this thread's arena in a global: other threads allocate from it concurrently.
void publish_arena() {
  g_current_arena = &tl_arena; // expect: thread-local-escape
}

struct Session {
  std::string* request_id = nullptr;
  std::atomic<int> users{0};
};

// case: bad
// A session object shared by all worker threads remembers one thread's request id.
void attach_request(Session* shared) {
  shared->request_id = &tl_request_id; // expect: thread-local-escape
  shared->users.fetch_add(1);
}

// case: bad
// A reference bound to the thread_local, captured by reference: the same escape.
void drain_batch_async() {
  std::vector<int>& batch = tl_batch;
  std::thread t([&batch] { batch.push_back(2); }); // expect: thread-local-escape
  batch.clear();
  t.join();
}

// case: bad
// std::cref is still the creator's object; the creator reassigns it while the worker reads it.
void log_request_async() {
  std::thread t(print_id, std::cref(tl_request_id)); // expect: thread-local-escape
  tl_request_id.clear();
  t.join();
}

// case: bad
// std::jthread hands over the address the same way.
void format_with_jthread() {
  std::jthread t(fill_scratch, &tl_scratch); // expect: thread-local-escape
  tl_scratch.text[0] = '\0';
}

class Logger {
public:
  static Scratch* current;
  static void bind_to_this_thread();
};

Scratch* Logger::current = nullptr;

// case: bad
// A static member is shared by all threads.
void Logger::bind_to_this_thread() {
  current = &tl_scratch; // expect: thread-local-escape
}

struct WorkItem {
  long* result_slot = nullptr;
  int input = 0;
};

// case: bad
// The producer asks the consumer thread (which will run this item) to write into the producer's
// own thread_local.
void prepare_item(WorkItem* item, int input) {
  item->input = input;
  item->result_slot = &tl_counter; // expect: thread-local-escape
}

// case: bad
// An init-capture of the address.
void clear_arena_async() {
  std::thread t([a = &tl_arena] { a->used = 0; }); // expect: thread-local-escape
  tl_arena.used = 16;
  t.join();
}

// case: bad
// The address travels through a pointer variable into the thread's arguments.
void format_through_pointer() {
  Scratch* mine = &tl_scratch;
  std::thread t(fill_scratch, mine); // expect: thread-local-escape
  mine->text[0] = '\0';
  t.join();
}

// case: bad
// A block-scope static thread_local is still per thread; its reference escapes to the worker.
void count_calls_async() {
  static thread_local long calls = 0;
  std::thread t(bump_counter, std::ref(calls)); // expect: thread-local-escape
  ++calls;
  t.join();
}
