// std::latch (futex based) counted for exactly the workers that are started.
#include <cstdio>
#include <latch>
#include <thread>

int main() {
  std::latch started(2);
  std::thread a([&] { started.count_down(); });
  std::thread b([&] { started.count_down(); });
  started.wait();
  std::puts("all started");
  a.join();
  b.join();
}
