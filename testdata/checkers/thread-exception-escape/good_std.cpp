// thread-exception-escape: thread entries that cannot let an exception out: everything wrapped in
// a catch (...), only non-throwing calls, callees that catch their own exceptions, and std::async
// and packaged_task, which carry exceptions to a future instead.
#include "parser.h"

#include <any>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <stdexcept>
#include <string>
#include <thread>
#include <threads.h>
#include <variant>
#include <vector>

namespace {
std::atomic<long> g_total{0};
std::mutex g_error_mu;
std::exception_ptr g_first_error;

void record_error(std::exception_ptr e) noexcept {
  std::lock_guard<std::mutex> g(g_error_mu);
  if (!g_first_error)
    g_first_error = e;
}
} // namespace

// case: good
// The whole entry is inside try { } catch (...) { }.
void load_guarded(const std::string& path) {
  std::thread t([path] {
    try {
      if (path.empty())
        throw std::invalid_argument("no path");
      g_total.fetch_add(std::stoi(path));
    } catch (...) {
      record_error(std::current_exception());
    }
  });
  t.join();
}

// case: good
// A specific handler first, then a catch-all behind it.
void parse_layered(std::string text) {
  std::thread t([text] {
    try {
      g_total.fetch_add(parse_port(text));
    } catch (const std::invalid_argument& e) {
      std::puts(e.what());
    } catch (...) {
      std::puts("unexpected error");
    }
  });
  t.join();
}

// case: good
// std::from_chars reports errors through its result instead of throwing.
void parse_from_chars(std::string text) {
  std::thread t([text] {
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size())
      g_total.fetch_add(value);
  });
  t.join();
}

// case: good
// The callee (parser.cpp) catches everything itself.
void listen_or_default(std::string port) {
  std::thread t([port] { g_total.fetch_add(parse_port_or(port, 8080)); });
  t.join();
}

// case: good
// find() and a bounds check instead of at().
void lookup_checked(std::map<std::string, int> table, std::vector<int> values, std::size_t i) {
  std::thread t([table, values, i] {
    if (auto it = table.find("limit"); it != table.end())
      g_total.fetch_add(it->second);
    if (i < values.size())
      g_total.fetch_add(values[i]);
  });
  t.join();
}

// case: good
// optional::value_or, the pointer form of any_cast and std::get_if do not throw.
void access_without_throwing(std::optional<int> limit, std::any setting,
                             std::variant<int, std::string> v) {
  std::thread t([limit, setting, v] {
    g_total.fetch_add(limit.value_or(0));
    if (const int* p = std::any_cast<int>(&setting))
      g_total.fetch_add(*p);
    if (const int* q = std::get_if<int>(&v))
      g_total.fetch_add(*q);
  });
  t.join();
}

// case: good
// std::async stores the exception in the future; the caller's get() rethrows it on this thread.
int parse_with_async(std::string text) {
  std::future<int> f = std::async(std::launch::async, [text] { return std::stoi(text); });
  return f.get();
}

// case: good
// A packaged_task run on a thread stores the exception in its future, too.
int parse_with_packaged_task(std::string text) {
  std::packaged_task<int()> task([text] { return parse_port(text); });
  std::future<int> result = task.get_future();
  std::thread t(std::move(task));
  t.join();
  return result.get();
}

// case: good
// A pool worker that runs arbitrary tasks and keeps their exceptions.
void run_tasks(std::vector<std::function<void()>> tasks) {
  std::thread t([tasks] {
    for (const auto& task : tasks) {
      try {
        task();
      } catch (...) {
        record_error(std::current_exception());
      }
    }
  });
  t.join();
}

// case: good
// A function-try-block with a catch-all around a pthread entry.
void* parse_worker_safe(void* arg) try {
  const std::string* text = static_cast<const std::string*>(arg);
  g_total.fetch_add(std::stol(*text));
  return nullptr;
} catch (...) {
  return nullptr;
}

int parse_safely_with_pthread(std::string text) {
  pthread_t tid;
  if (pthread_create(&tid, nullptr, parse_worker_safe, &text) != 0)
    return -1;
  pthread_join(tid, nullptr);
  return 0;
}

// case: good
// Only noexcept helpers and atomics in the entry.
void count_quietly(int n) {
  std::thread t([n] {
    for (int i = 0; i < n; ++i)
      g_total.fetch_add(i);
  });
  t.join();
}

// case: good
// The throwing work happens on the calling thread, after the join.
int sum_then_pick(std::vector<int> values, std::size_t index) {
  std::thread t([] { g_total.fetch_add(1); });
  t.join();
  return values.at(index);
}

// case: good
// The catch-all is inside the loop: each round's exception is handled, none escapes.
void retry_parse(std::vector<std::string> inputs) {
  std::thread t([inputs] {
    for (const std::string& in : inputs) {
      try {
        g_total.fetch_add(parse_endpoint(in));
        return;
      } catch (...) {
        continue;
      }
    }
  });
  t.join();
}

// case: good
// std::jthread with a catch-all.
void jthread_guarded(std::string text) {
  std::jthread t([text] {
    try {
      g_total.fetch_add(std::stol(text));
    } catch (...) {
      record_error(std::current_exception());
    }
  });
}

class Loader {
public:
  void start();

private:
  void run() noexcept;
  std::vector<int> rows_;
};

// case: good
// A noexcept member function entry.
void Loader::run() noexcept {
  g_total.fetch_add(static_cast<long>(rows_.size()));
}

void Loader::start() {
  std::thread t(&Loader::run, this);
  t.join();
}

// case: good
// The future is read inside a catch-all in the consumer thread.
void consume_guarded(std::shared_future<int> result) {
  std::thread t([result] {
    try {
      g_total.fetch_add(result.get());
    } catch (...) {
      record_error(std::current_exception());
    }
  });
  t.join();
}

// Throws and catches inside itself: nothing leaves it.
int weight_or_zero(const std::vector<int>& record) {
  try {
    if (record.empty())
      throw std::runtime_error("empty record");
    return static_cast<int>(record.size()) * 2;
  } catch (...) {
    return 0;
  }
}

// case: good
// The entry calls a function of this file that handles its own exception.
void weigh_safely(std::vector<int> record) {
  std::thread t([record] { g_total.fetch_add(weight_or_zero(record)); });
  t.join();
}

// case: good
// A detached thread whose bounded work is guarded by a catch-all.
void parse_detached(std::string text) {
  std::thread([text] {
    try {
      g_total.fetch_add(std::stoi(text));
    } catch (...) {
      std::puts("ignored malformed number");
    }
  }).detach();
}

// case: good
// A C11 thread whose entry only calls the non-throwing parser.
int c11_parse_quietly(void* arg) {
  const std::string* text = static_cast<const std::string*>(arg);
  return parse_port_or(*text, 0);
}

int parse_quietly_with_thrd(std::string text) {
  thrd_t t;
  if (thrd_create(&t, c11_parse_quietly, &text) != thrd_success)
    return -1;
  int port = 0;
  thrd_join(t, &port);
  return port;
}

// case: good
// A worker running a task it was handed: which code the std::function runs is not known here,
// as for a function without a body (cpp-httplib's and spdlog's workers run their own callbacks).
void run_task_async(std::function<void()> task) {
  std::thread t([task] { task(); });
  t.join();
}
