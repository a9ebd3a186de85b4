// oneTBB used the usual ways: a task_group, concurrent_queue and concurrent_bounded_queue, and a
// spin_mutex with its scoped_lock guarding a shared histogram.
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/spin_mutex.h>
#include <oneapi/tbb/task_group.h>

#include <vector>

namespace stats {

class Histogram {
 public:
  Histogram() : buckets_(16) {}
  // case: good
  void Add(int v) {
    tbb::spin_mutex::scoped_lock lock(mu_);
    ++buckets_[static_cast<size_t>(v) & 15];
  }
  // case: good
  bool TryAdd(int v) {
    tbb::spin_mutex::scoped_lock lock;
    if (!lock.try_acquire(mu_))
      return false;
    ++buckets_[static_cast<size_t>(v) & 15];
    return true;
  }
  // case: good
  long Total() {
    tbb::spin_mutex::scoped_lock lock(mu_);
    long t = 0;
    for (long b : buckets_)
      t += b;
    return t;
  }

 private:
  tbb::spin_mutex mu_;
  std::vector<long> buckets_;
};

// case: good
long run_tasks() {
  Histogram h;
  tbb::concurrent_queue<int> work;
  tbb::concurrent_bounded_queue<int> results;
  results.set_capacity(64);
  for (int i = 0; i < 32; ++i)
    work.push(i);
  tbb::task_group g;
  for (int w = 0; w < 4; ++w)
    g.run([&] {
      int item;
      while (work.try_pop(item)) {
        h.Add(item);
        results.push(item * 2);
      }
    });
  g.wait();
  int r;
  long sum = 0;
  while (results.try_pop(r))
    sum += r;
  h.TryAdd(1);
  return sum + h.Total();
}

}  // namespace stats
