// A Chase-Lev work-stealing deque whose owner-side pop forgets to race the thieves for the last
// task with a compare-exchange on `top`: the owner and a thief can both take it.
#include <atomic>
#include <cassert>
#include <cstdio>
#include <thread>

struct Deque {
  std::atomic<long> top{0};
  std::atomic<long> bottom{0};
  int tasks[8] = {};

  void push(int t) {
    long b = bottom.load(std::memory_order_relaxed);
    tasks[b % 8] = t;
    bottom.store(b + 1, std::memory_order_release);
  }
  int pop() { // owner only
    long b = bottom.load(std::memory_order_relaxed) - 1;
    bottom.store(b, std::memory_order_seq_cst);
    long t = top.load(std::memory_order_seq_cst);
    if (t > b) {
      bottom.store(b + 1, std::memory_order_relaxed);
      return 0;
    }
    int task = tasks[b % 8];
    if (t == b) // the last task: must win it against thieves, but takes it unconditionally
      bottom.store(b + 1, std::memory_order_relaxed);
    return task;
  }
  int steal() {
    long t = top.load(std::memory_order_acquire);
    long b = bottom.load(std::memory_order_acquire);
    if (t >= b)
      return 0;
    int task = tasks[t % 8];
    if (!top.compare_exchange_strong(t, t + 1, std::memory_order_seq_cst))
      return 0;
    return task;
  }
};

Deque dq;
int stolen;

int main() {
  dq.push(7);
  std::thread thief([] { stolen = dq.steal(); });
  int mine = dq.pop();
  thief.join();
  std::printf("owner %d, thief %d\n", mine, stolen);
  assert(!(mine && stolen) && "one task was run twice");
}
