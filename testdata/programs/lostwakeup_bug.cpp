// Lost wake-up: the producer sets the flag and notifies without the mutex, and the consumer checks
// the flag with `if`; a notify between the check and the wait is lost for good.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m;
std::condition_variable cv;
bool ready = false;

void consumer() {
  std::unique_lock<std::mutex> lock(m);
  if (!ready)
    cv.wait(lock);
  std::puts("consumed");
}

void producer() {
  ready = true;
  cv.notify_one();
}

int main() {
  std::thread c(consumer);
  std::thread p(producer);
  c.join();
  p.join();
}
