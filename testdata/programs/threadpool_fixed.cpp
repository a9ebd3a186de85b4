// A thread pool that drains its queue before its workers stop.
#include <cassert>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { run(); });
  }
  void submit(std::function<void()> task) {
    std::lock_guard<std::mutex> g(m_);
    tasks_.push_back(std::move(task));
    cv_.notify_one();
  }
  void shutdown() {
    {
      std::lock_guard<std::mutex> g(m_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_)
      w.join();
  }

private:
  void run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(m_);
        cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
        if (tasks_.empty())
          return; // stopping, and nothing left to do
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
  bool stop_ = false;
};

int main() {
  std::mutex doneLock;
  int done = 0;
  Pool pool(2);
  for (int i = 0; i < 4; ++i)
    pool.submit([&] {
      std::lock_guard<std::mutex> g(doneLock);
      ++done;
    });
  pool.shutdown();
  std::printf("%d of 4 tasks ran\n", done);
  assert(done == 4 && "tasks were lost at shutdown");
}
