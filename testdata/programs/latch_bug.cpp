// std::latch (futex based) counted for three workers while only two are started: main waits
// forever for a count-down that never comes.
#include <cstdio>
#include <latch>
#include <thread>

int main() {
  std::latch started(3);
  std::thread a([&] { started.count_down(); });
  std::thread b([&] { started.count_down(); });
  started.wait();
  std::puts("all started");
  a.join();
  b.join();
}
