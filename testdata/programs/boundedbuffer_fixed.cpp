// Bounded buffer: producers wait while the buffer is full.
#include <cassert>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

constexpr int kCapacity = 2;
int buffer[kCapacity + 1]; // the extra slot is where the overflow lands
int count = 0;
std::mutex m;
std::condition_variable notFull, notEmpty;

void produce(int items) {
  for (int i = 0; i < items; ++i) {
    std::unique_lock<std::mutex> lock(m);
    notFull.wait(lock, [] { return count < kCapacity; });
    buffer[count++] = i;
    assert(count <= kCapacity && "buffer overflow");
    notEmpty.notify_one();
  }
}

void consume(int items) {
  for (int i = 0; i < items; ++i) {
    std::unique_lock<std::mutex> lock(m);
    notEmpty.wait(lock, [] { return count > 0; });
    --count;
    notFull.notify_one();
  }
}

int main() {
  std::thread p1(produce, 3), p2(produce, 3), c(consume, 6);
  p1.join();
  p2.join();
  c.join();
  std::puts("done");
}
