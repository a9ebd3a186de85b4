// A std::mutex is locked again by the thread that holds it (a helper takes the lock its caller
// already holds): undefined behaviour, in practice a self-deadlock.
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m;
int total = 0;

void addOne() {
  std::lock_guard<std::mutex> g(m);
  ++total;
}

void addTwo() {
  std::lock_guard<std::mutex> g(m);
  addOne();
  addOne();
}

int main() {
  std::thread t(addTwo);
  t.join();
  std::printf("total %d\n", total);
}
