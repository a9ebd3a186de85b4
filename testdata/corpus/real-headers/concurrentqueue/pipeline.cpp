// A producer/consumer pipeline on moodycamel's BlockingConcurrentQueue (lock-free queue plus its
// LightweightSemaphore), compiled as user code.
#include <concurrentqueue/blockingconcurrentqueue.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

// case: good
long run_pipeline() {
  moodycamel::BlockingConcurrentQueue<int> q;
  std::atomic<long> sum{0};
  std::vector<std::thread> consumers;
  for (int c = 0; c < 2; ++c)
    consumers.emplace_back([&] {
      int item;
      while (true) {
        if (!q.wait_dequeue_timed(item, std::chrono::milliseconds(50)))
          continue;
        if (item < 0)
          return;
        sum += item;
      }
    });
  moodycamel::ProducerToken tok(q);
  for (int i = 0; i < 1000; ++i)
    q.enqueue(tok, i);
  int bulk[4] = {1, 2, 3, 4};
  q.enqueue_bulk(bulk, 4);
  q.enqueue(-1);
  q.enqueue(-1);
  for (auto& t : consumers)
    t.join();
  return sum.load();
}
