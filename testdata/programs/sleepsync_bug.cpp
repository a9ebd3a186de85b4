// Sleep-based "synchronisation": main assumes the worker is done after 50 ms.
#include <cassert>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m;
int result = 0;

void worker() {
  std::lock_guard<std::mutex> g(m);
  result = 42;
}

int main() {
  std::thread t(worker);
  std::this_thread::sleep_for(std::chrono::milliseconds(50)); // "plenty of time"
  {
    std::lock_guard<std::mutex> g(m);
    std::printf("result %d\n", result);
    assert(result == 42 && "worker had not finished");
  }
  t.join();
}
