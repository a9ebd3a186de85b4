// Exception paths with locks taken by hand: only a reachable throw leaves the lock held.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace journal {

struct Entry {
  long seq;
  std::chrono::steady_clock::time_point at;
};

static int checksum(const char* p, size_t n) noexcept {
  int s = 0;
  for (size_t i = 0; i < n; ++i)
    s = s * 31 + p[i];
  return s;
}

class Journal {
 public:
  // case: good
  // Duration arithmetic, comparisons, noexcept helpers and C functions cannot throw.
  bool Expired(std::chrono::milliseconds ttl) {
    mu_.lock();
    auto now = std::chrono::steady_clock::now();
    bool expired = !entries_.empty() && now - entries_.front().at > ttl;
    int sum = checksum(name_, std::strlen(name_));
    last_sum_ = sum;
    mu_.unlock();
    return expired;
  }

  // case: good
  // The only call that might throw is allocation (push_back): not reported.
  void Append(long seq) {
    mu_.lock();
    entries_.push_back(Entry{seq, std::chrono::steady_clock::now()});
    mu_.unlock();
  }

  // case: good
  // The throwing parse happens in a try block that unlocks in its handler.
  bool SetLimit(const std::string& text) {
    mu_.lock();
    try {
      limit_ = std::stol(text);
    } catch (const std::exception&) {
      mu_.unlock();
      return false;
    }
    mu_.unlock();
    return true;
  }

  // case: bad
  // std::stol throws std::invalid_argument on bad input with mu_ held by hand: every later call
  // deadlocks.
  void SetLimitUnchecked(const std::string& text) {
    mu_.lock();
    limit_ = std::stol(text); // expect: lock-not-released
    mu_.unlock();
  }

  // case: bad
  // An explicit throw under a hand-taken lock.
  long Front() {
    mu_.lock();
    if (entries_.empty())
      throw std::out_of_range("journal empty"); // expect: lock-not-released
    long s = entries_.front().seq;
    mu_.unlock();
    return s;
  }

 private:
  std::mutex mu_;
  std::vector<Entry> entries_;
  long limit_ = 0;
  int last_sum_ = 0;
  char name_[16] = "journal";
};

}  // namespace journal

// case: good
int journal_main() {
  journal::Journal j;
  j.Append(1);
  (void)j.Expired(std::chrono::milliseconds(5));
  (void)j.SetLimit("10");
  std::printf("%ld\n", j.Front());
  return 0;
}
