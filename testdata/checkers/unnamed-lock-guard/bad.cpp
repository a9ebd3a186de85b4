// unnamed-lock-guard: a guard that is a temporary (destroyed at the end of its full-expression) or
// a declaration that shadows the mutex. Either way the code after it runs without the lock.
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

class Counter {
public:
  void inc();
  void add(int n);
  void reset();
  int read();
  Counter();

private:
  std::mutex mu_;
  int n_ = 0;
};

// case: bad
// A braced temporary: locks and unlocks immediately; the increment is unprotected.
void Counter::inc() {
  std::lock_guard<std::mutex>{mu_}; // expect: unnamed-lock-guard
  ++n_;
}

// case: bad
// CTAD temporary, same effect.
void Counter::add(int n) {
  std::lock_guard{mu_}; // expect: unnamed-lock-guard
  n_ += n;
}

// case: bad
// scoped_lock temporary.
void Counter::reset() {
  std::scoped_lock{mu_}; // expect: unnamed-lock-guard
  n_ = 0;
}

// case: bad
// Looks like a guard, but declares a new default-constructed unique_lock named mu_ that shadows the
// member: nothing is locked at all.
int Counter::read() {
  std::unique_lock<std::mutex>(mu_); // expect: unnamed-lock-guard
  return n_;
}

// case: bad
// Even in a constructor, a temporary guard protects nothing.
Counter::Counter() {
  std::unique_lock<std::mutex>{mu_}; // expect: unnamed-lock-guard
  n_ = 1;
}

std::mutex g_names_mu;
std::vector<std::string> g_names;

// case: bad
// A temporary in a comma expression is released before the next statement.
void add_name(const std::string& s) {
  std::unique_lock<std::mutex>{g_names_mu}, g_names.reserve(16); // expect: unnamed-lock-guard
  g_names.push_back(s);
}

// case: bad
// Shadowing declaration of the global mutex's name.
std::size_t name_count() {
  std::unique_lock<std::mutex>(g_names_mu); // expect: unnamed-lock-guard
  return g_names.size();
}

class Table {
public:
  int get(int k);
  void put(int k, int v);

private:
  std::shared_mutex rw_;
  int v_[8] = {};
};

// case: bad
// shared_lock temporary.
int Table::get(int k) {
  std::shared_lock<std::shared_mutex>{rw_}; // expect: unnamed-lock-guard
  return v_[k & 7];
}

// case: bad
// Shadowing shared_lock declaration.
void Table::put(int k, int v) {
  std::shared_lock<std::shared_mutex>(rw_); // expect: unnamed-lock-guard
  v_[k & 7] = v;
}

// case: bad
// Two-mutex scoped_lock temporary.
void swap_pair(std::mutex& a, std::mutex& b, int& x, int& y) {
  std::scoped_lock{a, b}; // expect: unnamed-lock-guard
  std::swap(x, y);
}

// case: bad
// Recursive mutex guard as a temporary.
void recursive_touch(std::recursive_mutex& m, int& v) {
  std::lock_guard<std::recursive_mutex>{m}; // expect: unnamed-lock-guard
  ++v;
}

// case: bad
// Timed mutex guard as a temporary.
void timed_touch(std::timed_mutex& m, int& v) {
  std::lock_guard<std::timed_mutex>{m}; // expect: unnamed-lock-guard
  ++v;
}

// case: bad
// Temporary inside a lambda body.
void for_each_locked(std::mutex& m, std::vector<int>& v) {
  auto bump = [&](int i) {
    std::lock_guard<std::mutex>{m}; // expect: unnamed-lock-guard
    v[static_cast<std::size_t>(i)]++;
  };
  for (int i = 0; i < static_cast<int>(v.size()); ++i)
    bump(i);
}

// case: bad
// Temporary as the whole body of an if.
void maybe_clear(std::mutex& m, std::vector<int>& v, bool clear) {
  if (clear)
    std::lock_guard<std::mutex>{m}; // expect: unnamed-lock-guard
  v.clear();
}

std::mutex& registry_mutex();

// case: bad
// Temporary guard on a mutex returned by reference.
void registry_touch(int& generation) {
  std::lock_guard<std::mutex>{registry_mutex()}; // expect: unnamed-lock-guard
  ++generation;
}

// case: bad
// In a template: reported once, at the template's line, however many instantiations there are.
template <typename Mutex> void locked_increment(Mutex& m, long& v) {
  std::lock_guard<Mutex>{m}; // expect: unnamed-lock-guard
  ++v;
}

void use_template(std::mutex& a, std::recursive_mutex& b, long& v) {
  locked_increment(a, v);
  locked_increment(b, v);
}
