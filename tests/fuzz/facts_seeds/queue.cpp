// Seed source for the cache and shard fuzz targets: enough threading for rich facts (locks,
// guards, a condition variable, threads, calls across functions, a try-lock branch).
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>

struct Queue {
  std::mutex mu;
  std::condition_variable cv;
  std::queue<int> items;
  bool closed = false;

  void push(int v) {
    std::lock_guard<std::mutex> lock(mu);
    items.push(v);
    cv.notify_one();
  }
  bool pop(int& out) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return closed || !items.empty(); });
    if (items.empty())
      return false;
    out = items.front();
    items.pop();
    return true;
  }
  int drain() {
    if (!mu.try_lock())
      return -1;
    int n = static_cast<int>(items.size());
    if (n > 100)
      return n; // expect: lock-not-released
    mu.unlock();
    return n;
  }
};

int main() {
  Queue q;
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i)
      q.push(i);
  });
  int v;
  q.pop(v);
  producer.join();
  return q.drain();
}
