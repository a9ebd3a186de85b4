// flags: -std=c++17
// unnamed-lock-guard fixes: a temporary guard or a declaration that shadows the mutex becomes a
// named guard, under a name that clashes with nothing the function uses.
#include <mutex>
#include <shared_mutex>
#include <vector>

std::mutex g_mu;
std::vector<int> g_items;

void temporary_braces(int v) {
  std::lock_guard<std::mutex>{g_mu}; // fixed: unnamed-lock-guard
  g_items.push_back(v);
}

void temporary_ctad(int v) {
  std::scoped_lock{g_mu}; // fixed: unnamed-lock-guard
  g_items.push_back(v);
}

void temporary_parens_with_tag(int v) {
  g_mu.lock();
  std::lock_guard<std::mutex>(g_mu, std::adopt_lock); // fixed: unnamed-lock-guard
  g_items.push_back(v);
}

// 'lock' and 'guard' are taken here, so the guard is called 'lk'.
int name_taken(int lock) {
  int guard = lock * 2;
  std::lock_guard<std::mutex>{g_mu}; // fixed: unnamed-lock-guard
  g_items.push_back(guard);
  return static_cast<int>(g_items.size());
}

class Table {
public:
  int get(int k) const;
  void put(int k, int v);
  int size();

private:
  mutable std::shared_mutex rw_;
  std::mutex mu_;
  int v_[8] = {};
};

int Table::get(int k) const {
  std::shared_lock<std::shared_mutex>{rw_}; // fixed: unnamed-lock-guard
  return v_[k & 7];
}

// The shadowing declaration: a new, empty guard named rw_.
void Table::put(int k, int v) {
  std::unique_lock<std::shared_mutex>(rw_); // fixed: unnamed-lock-guard
  v_[k & 7] = v;
}

int Table::size() {
  std::unique_lock<std::mutex>(mu_); // fixed: unnamed-lock-guard
  return 8;
}

// Shadowing a global's name.
std::size_t item_count() {
  std::unique_lock<std::mutex>(g_mu); // fixed: unnamed-lock-guard
  return g_items.size();
}

// In a lambda that captures by reference, with a nested block.
void in_lambda(int v) {
  std::mutex local;
  auto add = [&](int x) {
    if (x > 0) {
      std::lock_guard<std::mutex>{local}; // fixed: unnamed-lock-guard
      g_items.push_back(x);
    }
  };
  add(v);
}

template <class M> void generic(M& m, int v) {
  std::lock_guard<M>{m}; // fixed: unnamed-lock-guard
  g_items.push_back(v);
}
template void generic<std::mutex>(std::mutex&, int);

// Not fixed: a guard that is the whole body of an if would still end at once.
void whole_if_body(bool b, int v) {
  if (b)
    std::lock_guard<std::mutex>{g_mu}; // kept: unnamed-lock-guard
  g_items.push_back(v);
}

// Not fixed: the mutex is locked again later in the block; a named guard would deadlock.
int g_counter = 0;
void locked_again() {
  std::lock_guard<std::mutex>{g_mu}; // kept: unnamed-lock-guard
  g_mu.lock();
  ++g_counter;
  g_mu.unlock();
}

// Not fixed: a temporary in a comma expression.
void in_comma(int v) {
  std::lock_guard<std::mutex>{g_mu}, g_items.reserve(4); // kept: unnamed-lock-guard
  g_items.push_back(v);
}

// Not fixed: a case label after it, which a jump past the new guard would reach.
void in_switch(int k, int v) {
  switch (k) {
  case 0:
    g_items.clear();
    std::lock_guard<std::mutex>{g_mu}; // kept: unnamed-lock-guard
    g_items.push_back(v);
    break;
  case 1:
    g_items.push_back(-v);
    break;
  }
}

// Not fixed: the shadowing guard is used afterwards, so naming it would change what 'g_mu' means.
bool shadow_used() {
  std::unique_lock<std::mutex>(g_mu); // kept: unnamed-lock-guard
  return g_mu.owns_lock();
}
