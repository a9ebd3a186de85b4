// A test file of the kind projects write against googletest, compiled with googletest's own
// sources (gtest-all.cc) as user code: the library's Mutex/MutexLock and its ThreadLocal are the
// real ones.
#include <gtest/gtest.h>

#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace {

class BoundedQueue {
 public:
  explicit BoundedQueue(size_t cap) : cap_(cap) {}
  // case: good
  bool Push(int v) {
    testing::internal::MutexLock lock(&mu_);
    if (q_.size() >= cap_)
      return false;
    q_.push(v);
    return true;
  }
  // case: good
  bool Pop(int* out) {
    testing::internal::MutexLock lock(&mu_);
    if (q_.empty())
      return false;
    *out = q_.front();
    q_.pop();
    return true;
  }

 private:
  testing::internal::Mutex mu_;
  std::queue<int> q_;
  size_t cap_;
};

// case: good
TEST(BoundedQueueTest, ConcurrentPushPop) {
  BoundedQueue q(64);
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t)
    producers.emplace_back([&q, t] {
      for (int i = 0; i < 16; ++i)
        q.Push(t * 16 + i);
    });
  for (auto& p : producers)
    p.join();
  int v = 0, n = 0;
  while (q.Pop(&v))
    ++n;
  EXPECT_EQ(n, 64);
}

}  // namespace
