// lock-not-released in class and function templates: each piece of template code is reported
// once, at its source location, however many times it is instantiated (here three times each).
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace tpl {

// case: bad
// reserve() returns with mu_ held when there is no room: every later push or pop blocks forever.
// Instantiated for int, std::string and Packet below; reported once.
template <typename T>
class BoundedQueue {
public:
  explicit BoundedQueue(std::size_t cap) : cap_(cap) {}

  // Reserves room for n items that a producer pushes later.
  bool reserve(std::size_t n) {
    mu_.lock();
    if (reserved_ + items_.size() + n > cap_)
      return false; // expect: lock-not-released
    reserved_ += n;
    mu_.unlock();
    return true;
  }

  // case: good
  // push and pop written with a guard: quiet in every instantiation.
  bool push(const T& v) {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.size() >= cap_)
      return false;
    items_.push_back(v);
    return true;
  }

  // The same queue's pop, written with a guard: quiet in every instantiation.
  bool try_pop(T& out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.empty())
      return false;
    out = items_.front();
    items_.pop_front();
    return true;
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }

private:
  mutable std::mutex mu_;
  std::deque<T> items_;
  std::size_t cap_;
  std::size_t reserved_ = 0;
};

struct Packet {
  int id = 0;
  std::vector<char> payload;
};

// case: good
// A function template that locks by hand and unlocks on every path, instantiated three times.
template <typename Container>
std::size_t locked_count(std::mutex& m, const Container& c, bool skip_empty) {
  m.lock();
  if (skip_empty && c.empty()) {
    m.unlock();
    return 0;
  }
  std::size_t n = c.size();
  m.unlock();
  return n;
}

// case: bad
// A policy template: the caller's Lock type is locked and the error path forgets to unlock it.
// Three instantiations with three mutex types; one finding.
template <typename Lock>
int checked_increment(Lock& lock, int& counter, int limit) {
  lock.lock();
  if (counter >= limit)
    return -1; // expect: lock-not-released
  ++counter;
  lock.unlock();
  return counter;
}

// case: support
void exercise_templates() {
  BoundedQueue<int> qi(4);
  BoundedQueue<std::string> qs(4);
  BoundedQueue<Packet> qp(4);
  qi.reserve(2);
  qs.reserve(2);
  qp.reserve(2);
  qi.push(1);
  qs.push("x");
  qp.push(Packet{});
  int i = 0;
  std::string s;
  Packet p;
  qi.try_pop(i);
  qs.try_pop(s);
  qp.try_pop(p);
  (void)(qi.size() + qs.size() + qp.size());

  std::mutex m;
  std::vector<int> v;
  std::deque<long> d;
  std::string str;
  (void)(locked_count(m, v, true) + locked_count(m, d, false) + locked_count(m, str, true));

  std::mutex plain;
  std::timed_mutex timed;
  std::recursive_mutex rec;
  int counter = 0;
  checked_increment(plain, counter, 10);
  checked_increment(timed, counter, 10);
  checked_increment(rec, counter, 10);
}

} // namespace tpl
