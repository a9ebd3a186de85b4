// A registry guarded by project-written RAII guards; every call under the guard may throw
// (std::string and std::map allocate, std::stoul parses), and the guard releases on unwinding.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "port_mutex.h"

class TestRegistry {
 public:
  // case: good
  // Insertion under a guard: a bad_alloc or the explicit throw unwinds through ~MutexLock.
  void Register(const std::string& suite, const std::string& name) {
    port::MutexLock lock(&mu_);
    if (name.empty())
      throw std::invalid_argument("empty test name");
    suites_[suite].push_back(name);
    ++count_;
  }

  // case: good
  // std::stoul throws on bad input: still under the guard, still released.
  unsigned long ShardOf(const std::string& spec) {
    port::ScopedCritical section(mu_);
    unsigned long shard = std::stoul(spec);
    last_shard_ = shard;
    return shard % 16;
  }

  // case: good
  // Early returns inside the guarded scope.
  std::vector<std::string> Tests(const std::string& suite) {
    port::MutexLock lock(&mu_);
    auto it = suites_.find(suite);
    if (it == suites_.end())
      return {};
    return it->second;
  }

  // case: good
  // The guard lives in an inner block; the lock is released before the callback runs.
  template <typename Fn>
  void ForEachSuite(Fn fn) {
    std::vector<std::string> names;
    {
      port::MutexLock lock(&mu_);
      for (const auto& entry : suites_)
        names.push_back(entry.first);
    }
    for (const auto& n : names)
      fn(n);
  }

  // case: bad
  // Count() takes the same non-recursive mutex the caller's guard already holds: self-deadlock.
  size_t SizeOrCount() {
    port::MutexLock lock(&mu_);
    if (suites_.empty())
      return Count(); // expect: double-lock
    return suites_.size();
  }

  // case: support
  size_t Count() {
    port::MutexLock lock(&mu_);
    return count_;
  }

 private:
  port::Mutex mu_;
  std::map<std::string, std::vector<std::string>> suites_;
  size_t count_ = 0;
  unsigned long last_shard_ = 0;
};

// case: good
void UseRegistry(TestRegistry& r) {
  r.Register("Queue", "PushPop");
  r.ForEachSuite([&](const std::string& s) { r.Tests(s); });
  (void)r.ShardOf("3");
  (void)r.SizeOrCount();
}
