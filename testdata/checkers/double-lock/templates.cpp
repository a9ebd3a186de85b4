// double-lock in templates: one finding per source location, not one per instantiation.
#include <map>
#include <mutex>
#include <string>

namespace tpl {

// case: bad
// insert() holds mu_ and calls contains(), which locks mu_ again: a self-deadlock in every
// instantiation (three below), reported once.
template <typename K, typename V>
class Registry {
public:
  bool contains(const K& k) const {
    std::lock_guard<std::mutex> g(mu_);
    return map_.count(k) != 0;
  }

  void insert(const K& k, const V& v) {
    std::lock_guard<std::mutex> g(mu_);
    if (contains(k)) // expect: double-lock
      return;
    map_.emplace(k, v);
  }

  // case: good
  // The same check done without the lock first, then under it without calling contains().
  bool insert_once(const K& k, const V& v) {
    std::lock_guard<std::mutex> g(mu_);
    return map_.emplace(k, v).second;
  }

private:
  mutable std::mutex mu_;
  std::map<K, V> map_;
};

// case: good
// Instantiated with std::recursive_mutex only: relocking a recursive mutex is allowed.
template <typename M>
class Reentrant {
public:
  int outer() {
    std::lock_guard<M> g(mu_);
    return inner() + 1;
  }
  int inner() {
    std::lock_guard<M> g(mu_);
    return value_;
  }

private:
  M mu_;
  int value_ = 0;
};

// case: support
void exercise_registries() {
  Registry<int, int> a;
  Registry<std::string, int> b;
  Registry<long, std::string> c;
  a.insert(1, 1);
  b.insert("k", 2);
  c.insert(3L, "v");
  a.insert_once(1, 1);
  b.insert_once("k", 2);
  c.insert_once(3L, "v");
  Reentrant<std::recursive_mutex> r1;
  Reentrant<std::recursive_timed_mutex> r2;
  r1.outer();
  r2.outer();
}

} // namespace tpl
