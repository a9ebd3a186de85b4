// lock-not-released on exception paths, in code shaped like real libraries: a lock taken by hand
// is reported only where an exception is really on its way (a throw, a callee that throws, a
// standard function documented to throw on bad input); once per lock, not once per call.
#include <any>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <pthread.h>
#include <time.h>

namespace exc {

// Declared here, defined in a library whose body we never see.
void external_trace(const char* what, int code);
int external_checksum(const void* data, std::size_t n);

using Clock = std::chrono::steady_clock;

class RateLimiter {
public:
  bool admit();
  std::chrono::milliseconds backlog() const;

private:
  mutable std::mutex mu_;
  Clock::time_point last_{};
  Clock::duration period_ = std::chrono::milliseconds(10);
  long admitted_ = 0;
};

// case: good
// Duration and time_point arithmetic and comparisons cannot throw (they are not noexcept in
// libstdc++, but they are arithmetic on integers): no exception path between lock and unlock.
bool RateLimiter::admit() {
  mu_.lock();
  Clock::time_point now = Clock::now();
  if (now - last_ < period_) {
    mu_.unlock();
    return false;
  }
  last_ = now;
  period_ = period_ * 2 / 3 + std::chrono::milliseconds(1);
  ++admitted_;
  mu_.unlock();
  return true;
}

// case: good
// duration_cast and comparisons of durations under a manual lock.
std::chrono::milliseconds RateLimiter::backlog() const {
  mu_.lock();
  auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_);
  std::chrono::milliseconds left = waited > period_ ? std::chrono::milliseconds(0)
                                                    : std::chrono::duration_cast<std::chrono::milliseconds>(period_ - waited);
  mu_.unlock();
  return left;
}

struct Frame {
  char data[64];
  std::size_t len = 0;
};

class FrameBuffer {
public:
  void append(const char* bytes, std::size_t n);
  void stamp();
  void record(const std::string& tag);
  void trace(int code);
  int digest();

private:
  std::mutex mu_;
  pthread_mutex_t stats_mu_ = PTHREAD_MUTEX_INITIALIZER;
  Frame frame_;
  std::vector<std::string> tags_;
  std::map<std::string, int> counts_;
  long stamps_ = 0;
};

// case: good
// C library calls (memcpy, strlen, snprintf) cannot throw, in C++ as in C.
void FrameBuffer::append(const char* bytes, std::size_t n) {
  mu_.lock();
  std::size_t room = sizeof frame_.data - frame_.len;
  std::size_t take = n < room ? n : room;
  std::memcpy(frame_.data + frame_.len, bytes, take);
  frame_.len += take;
  if (frame_.len < sizeof frame_.data)
    frame_.len += std::snprintf(frame_.data + frame_.len, room - take, "%zu", std::strlen(bytes));
  mu_.unlock();
}

// case: good
// POSIX calls under a pthread mutex in C++ code: clock_gettime, pthread_self.
void FrameBuffer::stamp() {
  pthread_mutex_lock(&stats_mu_);
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  stamps_ += ts.tv_nsec + static_cast<long>(pthread_self() & 1);
  pthread_mutex_unlock(&stats_mu_);
}

// case: good
// push_back, map insertion, std::string and std::to_string can only throw std::bad_alloc: not a
// path this checker reports (out of memory, a program has bigger problems than a held lock).
void FrameBuffer::record(const std::string& tag) {
  mu_.lock();
  tags_.push_back(tag);
  counts_[tag] += 1;
  std::string key = tag + "#" + std::to_string(counts_.size());
  tags_.emplace_back(std::move(key));
  auto copy = std::make_unique<Frame>(frame_);
  frame_.len = copy->len;
  mu_.unlock();
}

// case: good
// Functions only declared here (their library is not part of the project): nothing says they
// throw, so there is no exception path to report.
void FrameBuffer::trace(int code) {
  mu_.lock();
  external_trace("frame", code);
  int sum = external_checksum(frame_.data, frame_.len);
  frame_.len = static_cast<std::size_t>(sum) % sizeof frame_.data;
  mu_.unlock();
}

// case: support
// A project function whose body throws nothing (arithmetic and an allocation at most).
static int fold(const Frame& f, std::vector<int>& out) {
  int h = 0;
  for (std::size_t i = 0; i < f.len; ++i)
    h = h * 31 + f.data[i];
  out.push_back(h);
  return h;
}

// case: good
// The callee's body is known and has no throw in it.
int FrameBuffer::digest() {
  std::vector<int> parts;
  mu_.lock();
  int h = fold(frame_, parts);
  mu_.unlock();
  return h;
}

class Settings {
public:
  int port(const std::string& text);
  int port_or_default(const std::string& text) noexcept;
  int field(std::size_t i);
  std::string name(const std::string& key);
  int timeout();
  long opaque(const std::any& value);
  void load(const std::string& key, const std::string& value);
  int checked(const std::string& key);

private:
  std::mutex mu_;
  std::vector<int> fields_;
  std::map<std::string, std::string> names_;
  std::optional<int> timeout_;
  int port_ = 0;
};

// case: bad
// std::stoi throws std::invalid_argument (or std::out_of_range) on text that is not a port
// number: the exception leaves with mu_ locked and every later call deadlocks.
int Settings::port(const std::string& text) {
  mu_.lock();
  port_ = std::stoi(text); // expect: lock-not-released
  int p = port_;
  mu_.unlock();
  return p;
}

// case: good
// The same parse inside try/catch: the handler unlocks before returning.
int Settings::port_or_default(const std::string& text) noexcept {
  mu_.lock();
  try {
    port_ = std::stoi(text);
  } catch (const std::exception&) {
    port_ = 8080;
  }
  int p = port_;
  mu_.unlock();
  return p;
}

// case: bad
// vector::at throws std::out_of_range for an index past the end.
int Settings::field(std::size_t i) {
  mu_.lock();
  int v = fields_.at(i); // expect: lock-not-released
  mu_.unlock();
  return v;
}

// case: bad
// map::at throws for a missing key; a second at() under the same lock is the same mistake and not
// a second finding.
std::string Settings::name(const std::string& key) {
  mu_.lock();
  std::string first = names_.at(key); // expect: lock-not-released
  std::string second = names_.at(key + ".alias");
  mu_.unlock();
  return first + second;
}

// case: bad
// optional::value throws std::bad_optional_access when no timeout was configured.
int Settings::timeout() {
  mu_.lock();
  int t = timeout_.value(); // expect: lock-not-released
  mu_.unlock();
  return t;
}

// case: bad
// any_cast of a reference throws std::bad_any_cast when the stored type differs.
long Settings::opaque(const std::any& value) {
  mu_.lock();
  long v = std::any_cast<long>(value); // expect: lock-not-released
  mu_.unlock();
  return v;
}

// case: good
// any_cast of a pointer returns nullptr instead of throwing.
static long opaque_or_zero(std::mutex& m, const std::any& value) {
  m.lock();
  const long* p = std::any_cast<long>(&value);
  long v = p ? *p : 0;
  m.unlock();
  return v;
}

// case: support
// A validation helper that throws on bad input, and one that calls it: the throw escapes both.
static void require_non_empty(const std::string& s) {
  if (s.empty())
    throw std::invalid_argument("empty setting");
}
static void require_key_value(const std::string& k, const std::string& v) {
  require_non_empty(k);
  require_non_empty(v);
}

// case: bad
// The callee throws (two calls down) for an empty key or value: mu_ stays locked. The throw is
// reported once, at the first call that can throw, even though the later insert might too.
void Settings::load(const std::string& key, const std::string& value) {
  mu_.lock();
  require_key_value(key, value); // expect: lock-not-released
  names_[key] = value;
  if (value == "none")
    throw std::runtime_error("setting disabled");
  mu_.unlock();
}

// case: support
// A helper that throws but catches its own exception: nothing escapes it.
static int parse_or_minus_one(const std::string& s) {
  try {
    return std::stoi(s);
  } catch (...) {
    return -1;
  }
}

// case: good
// The callee catches what std::stoi throws; its callers see no exception.
int Settings::checked(const std::string& key) {
  mu_.lock();
  int v = parse_or_minus_one(key);
  mu_.unlock();
  return v;
}

// case: good
// The lock is released before the throw.
void reject_if_closed(std::mutex& m, bool& closed) {
  m.lock();
  bool was = closed;
  m.unlock();
  if (was)
    throw std::logic_error("closed");
}

// case: support
void use_settings() {
  std::mutex m;
  std::any a = 3L;
  (void)opaque_or_zero(m, a);
}

} // namespace exc
