// The timed wait checks its predicate and handles the timeout explicitly.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m;
std::condition_variable cv;
bool replied = false;
int reply = 0;

void server() {
  std::lock_guard<std::mutex> g(m);
  reply = 7;
  replied = true;
  cv.notify_one();
}

int main() {
  std::thread s(server);
  {
    std::unique_lock<std::mutex> lock(m);
    if (cv.wait_for(lock, std::chrono::seconds(1), [] { return replied; }))
      std::printf("reply %d\n", reply);
    else
      std::puts("no reply in time");
  }
  s.join();
}
