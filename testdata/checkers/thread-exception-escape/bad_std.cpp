// thread-exception-escape: a thread entry that can throw with no catch (...) on the path. An
// exception leaving a thread's entry calls std::terminate: the whole process dies, not the thread,
// and the message rarely says which thread or why.
#include "parser.h"

#include <any>
#include <atomic>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <pthread.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <threads.h>
#include <variant>
#include <vector>

namespace {
std::atomic<long> g_sum{0};
} // namespace

// Throws when the record is malformed.
int checked_size(const std::vector<int>& record) {
  if (record.empty())
    throw std::runtime_error("empty record");
  return static_cast<int>(record.size());
}

// Reaches the throw two calls down.
int record_weight(const std::vector<int>& record) {
  return checked_size(record) * 2;
}

// case: bad
// An explicit throw on the error path of the entry lambda.
void load_async(const std::string& path) {
  std::thread t([path] { // expect: thread-exception-escape
    if (path.empty())
      throw std::invalid_argument("no path");
    std::puts(path.c_str());
  });
  t.join();
}

// case: bad
// The entry calls a function of this file that throws.
void weigh_async(std::vector<int> record) {
  std::thread t([record] { // expect: thread-exception-escape
    g_sum.fetch_add(checked_size(record));
  });
  t.join();
}

// case: bad
// The throw is two calls away from the entry.
void weigh_deep_async(std::vector<int> record) {
  std::thread t([record] { // expect: thread-exception-escape
    g_sum.fetch_add(record_weight(record));
  });
  t.join();
}

// case: bad
// The throwing parser lives in another translation unit (parser.cpp).
void listen_async(std::string port) {
  std::thread t([port] { // expect: thread-exception-escape
    std::printf("port %d\n", parse_port(port));
  });
  t.join();
}

// case: bad
// ... and here it is reached through parse_endpoint, also in parser.cpp.
void connect_async(std::string endpoint) {
  std::thread t([endpoint] { // expect: thread-exception-escape
    g_sum.fetch_add(parse_endpoint(endpoint));
  });
  t.join();
}

// case: bad
// std::stoi throws std::invalid_argument / std::out_of_range on user input.
void count_async(std::string text) {
  std::thread t([text] { // expect: thread-exception-escape
    g_sum.fetch_add(std::stoi(text));
  });
  t.join();
}

// case: bad
// vector::at throws std::out_of_range for a bad index.
void pick_async(std::vector<int> values, std::size_t index) {
  std::thread t([values, index] { // expect: thread-exception-escape
    g_sum.fetch_add(values.at(index));
  });
  t.join();
}

// case: bad
// map::at throws for a missing key.
void lookup_async(std::map<std::string, int> table, std::string key) {
  std::thread t([table, key] { // expect: thread-exception-escape
    g_sum.fetch_add(table.at(key));
  });
  t.join();
}

// case: bad
// optional::value throws std::bad_optional_access when empty.
void apply_limit_async(std::optional<int> limit) {
  std::thread t([limit] { // expect: thread-exception-escape
    g_sum.store(limit.value());
  });
  t.join();
}

// case: bad
// The value form of std::any_cast throws std::bad_any_cast on a type mismatch.
void any_async(std::any setting) {
  std::thread t([setting] { // expect: thread-exception-escape
    g_sum.fetch_add(std::any_cast<int>(setting));
  });
  t.join();
}

// case: bad
// std::get on a variant holding the other alternative throws std::bad_variant_access.
void variant_async(std::variant<int, std::string> v) {
  std::thread t([v] { // expect: thread-exception-escape
    g_sum.fetch_add(std::get<int>(v));
  });
  t.join();
}

// case: bad
// future::get rethrows whatever the producer stored.
void consume_async(std::shared_future<int> result) {
  std::thread t([result] { // expect: thread-exception-escape
    g_sum.fetch_add(result.get());
  });
  t.join();
}

// case: bad
// A std::future moved into the consumer: get() rethrows the producer's exception there.
void consume_once_async(std::future<int> result) {
  std::thread t([f = std::move(result)]() mutable { // expect: thread-exception-escape
    g_sum.fetch_add(f.get());
  });
  t.join();
}

// case: bad
// catch (const std::exception&) is not a catch-all: the int thrown below escapes it.
void guarded_wrongly_async(int code) {
  std::thread t([code] { // expect: thread-exception-escape
    try {
      if (code < 0)
        throw code;
      g_sum.fetch_add(code);
    } catch (const std::exception& e) {
      std::puts(e.what());
    }
  });
  t.join();
}

// case: bad
// std::stoi also throws std::out_of_range, which a handler for std::invalid_argument does not
// catch.
void parse_narrowly_async(std::string text) {
  std::thread t([text] { // expect: thread-exception-escape
    try {
      g_sum.fetch_add(std::stoi(text));
    } catch (const std::invalid_argument&) {
      std::puts("not a number");
    }
  });
  t.join();
}

// case: bad
// The catch-all logs and rethrows: the exception still leaves the entry.
void rethrow_async(std::string text) {
  std::thread t([text] { // expect: thread-exception-escape
    try {
      g_sum.fetch_add(parse_port(text));
    } catch (...) {
      std::puts("bad port");
      throw;
    }
  });
  t.join();
}

// case: bad
// std::jthread terminates the same way.
void jthread_async(std::string text) {
  std::jthread t([text] { // expect: thread-exception-escape
    g_sum.fetch_add(std::stol(text));
  });
}

class Importer {
public:
  void start();

private:
  void run();
  std::vector<int> rows_;
};

// case: bad
// A member function entry that throws.
void Importer::run() {
  if (rows_.empty())
    throw std::logic_error("nothing to import");
  g_sum.fetch_add(static_cast<long>(rows_.size()));
}

void Importer::start() {
  std::thread t(&Importer::run, this); // expect: thread-exception-escape
  t.join();
}

// case: bad
// A C++ entry started with pthread_create: the exception unwinds into the C library frames and
// terminates.
void* parse_worker(void* arg) {
  const std::string* text = static_cast<const std::string*>(arg);
  g_sum.fetch_add(std::stoul(*text));
  return nullptr;
}

int parse_with_pthread(std::string text) {
  pthread_t tid;
  if (pthread_create(&tid, nullptr, parse_worker, &text) != 0) // expect: thread-exception-escape
    return -1;
  pthread_join(tid, nullptr);
  return 0;
}

// case: bad
// The same with a C11 thread.
int c11_parse_worker(void* arg) {
  const std::string* text = static_cast<const std::string*>(arg);
  return parse_port(*text);
}

int parse_with_thrd(std::string text) {
  thrd_t t;
  if (thrd_create(&t, c11_parse_worker, &text) != thrd_success) // expect: thread-exception-escape
    return -1;
  int port = 0;
  thrd_join(t, &port);
  return port;
}
