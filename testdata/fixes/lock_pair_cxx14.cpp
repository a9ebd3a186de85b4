// flags: -std=c++14
// Before C++17 there is no std::scoped_lock: the pair becomes a std::lock_guard that names the
// mutex type.
#include <mutex>
#include <stdexcept>
#include <vector>

namespace store {
std::timed_mutex g_mu;
std::vector<int> g_items;
} // namespace store

int checked(int v) {
  if (v < 0)
    throw std::invalid_argument("negative");
  return v;
}

void add(int v) {
  store::g_mu.lock();
  store::g_items.push_back(checked(v)); // fixed: lock-not-released
  store::g_mu.unlock();
  store::g_items.shrink_to_fit();
}
