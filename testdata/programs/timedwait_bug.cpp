// A timed wait whose timeout path is wrong: after a timeout the code uses the reply anyway.
#include <cassert>
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
    if (!replied)
      cv.wait_for(lock, std::chrono::seconds(1)); // timeout: falls through as if replied
    std::printf("reply %d\n", reply);
    assert(reply == 7 && "used a reply that never came");
  }
  s.join();
}
