// unnamed-lock-guard: guards that look unusual but are named, bound or handed over correctly.
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <utility>
#include <vector>

struct Counter {
  std::mutex mu;
  int n = 0;
};

// case: good
// The ordinary named guard.
void inc(Counter& c) {
  std::lock_guard<std::mutex> g{c.mu};
  ++c.n;
}

// case: good
// Named guard with CTAD and parentheses.
void add(Counter& c, int n) {
  std::lock_guard g(c.mu);
  c.n += n;
}

// case: good
// A temporary guard returned to the caller, who keeps it.
std::unique_lock<std::mutex> lock_counter(Counter& c) {
  return std::unique_lock<std::mutex>(c.mu);
}

// case: good
// The returned guard is named by the caller.
int read(Counter& c) {
  auto lk = lock_counter(c);
  return c.n;
}

void apply_locked(std::unique_lock<std::mutex> lk, int& v) {
  if (lk.owns_lock())
    ++v;
}

// case: good
// A temporary guard passed as an argument: it lives, and holds the lock, for the whole call.
void inc_via_call(Counter& c) {
  apply_locked(std::unique_lock<std::mutex>(c.mu), c.n);
}

// case: good
// Copy-initialised from a temporary: the temporary is the variable.
void reset(Counter& c) {
  auto lk = std::unique_lock<std::mutex>(c.mu);
  c.n = 0;
}

// case: good
// A temporary move-assigned into a named guard.
void relock_later(Counter& c) {
  std::unique_lock<std::mutex> lk;
  lk = std::unique_lock<std::mutex>(c.mu);
  c.n = 1;
}

// case: good
// A temporary swapped into a named guard.
void swap_in(Counter& c) {
  std::unique_lock<std::mutex> lk;
  std::unique_lock<std::mutex>(c.mu).swap(lk);
  ++c.n;
}

// case: good
// Guards kept in a container: emplace_back constructs in place.
void lock_all(std::vector<Counter>& cs) {
  std::vector<std::unique_lock<std::mutex>> held;
  for (auto& c : cs)
    held.emplace_back(c.mu);
  for (auto& c : cs)
    c.n = 0;
}

// case: good
// A temporary moved into a container: it is the container that holds the lock.
void lock_first_two(Counter& a, Counter& b) {
  std::vector<std::unique_lock<std::mutex>> held;
  held.push_back(std::unique_lock<std::mutex>(a.mu));
  held.push_back(std::unique_lock<std::mutex>(b.mu));
  std::swap(a.n, b.n);
}

// case: good
// An optional guard engaged later.
void maybe_locked(Counter& c, bool lock) {
  std::optional<std::lock_guard<std::mutex>> g;
  if (lock)
    g.emplace(c.mu);
  ++c.n;
}

// case: good
// Guard in an if-statement initializer: named, lives for the whole if.
bool inc_if_small(Counter& c) {
  if (std::lock_guard g(c.mu); c.n < 10) {
    ++c.n;
    return true;
  }
  return false;
}

// case: good
// A guard owned through a unique_ptr.
void heap_guard(Counter& c) {
  auto g = std::make_unique<std::lock_guard<std::mutex>>(c.mu);
  ++c.n;
}

// case: good
// Named guard captured into a lambda by move.
int locked_lambda(Counter& c) {
  auto task = [lk = std::unique_lock<std::mutex>(c.mu), &c]() { return c.n; };
  return task();
}

struct Table {
  std::shared_mutex rw;
  int v[8] = {};
};

// case: good
// Named shared and exclusive guards.
void copy_slot(Table& t, int from, int to) {
  int v;
  {
    std::shared_lock<std::shared_mutex> r(t.rw);
    v = t.v[from & 7];
  }
  std::unique_lock<std::shared_mutex> w(t.rw);
  t.v[to & 7] = v;
}

// case: good
// Two named guards in one declaration, and a named scoped_lock over both mutexes.
void two_counters(Counter& a, Counter& b) {
  {
    std::lock_guard<std::mutex> ga(a.mu), gb(b.mu); // NOLINT(lock-order-inversion)
    ++a.n;
  }
  std::scoped_lock both(a.mu, b.mu);
  ++b.n;
}

// case: good
// A default-constructed unique_lock with a name of its own is not a shadowing declaration.
void default_then_assign(Counter& c) {
  std::unique_lock<std::mutex> lk;
  if (!lk.owns_lock())
    lk = std::unique_lock<std::mutex>(c.mu, std::try_to_lock);
  if (lk)
    ++c.n;
}
