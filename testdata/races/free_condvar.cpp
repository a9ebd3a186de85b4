// Race-free through std::condition_variable: the consumer reads what the producer wrote.
#include <condition_variable>
#include <mutex>
#include <thread>
int item;
bool ready = false;
std::mutex m;
std::condition_variable cv;
int main() {
  std::thread producer([] {
    item = 42;
    std::lock_guard<std::mutex> g(m);
    ready = true;
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; });
  int v = item;
  lk.unlock();
  producer.join();
  return v == 42 ? 0 : 1;
}
