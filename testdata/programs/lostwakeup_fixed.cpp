// The flag changes under the mutex and the consumer waits with a predicate.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m;
std::condition_variable cv;
bool ready = false;

void consumer() {
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [] { return ready; });
  std::puts("consumed");
}

void producer() {
  {
    std::lock_guard<std::mutex> lock(m);
    ready = true;
  }
  cv.notify_one();
}

int main() {
  std::thread c(consumer);
  std::thread p(producer);
  c.join();
  p.join();
}
