// The helper expects its caller to hold the lock.
#include <cstdio>
#include <mutex>
#include <thread>

std::mutex m;
int total = 0;

void addOneLocked() {
  ++total;
}

void addTwo() {
  std::lock_guard<std::mutex> g(m);
  addOneLocked();
  addOneLocked();
}

int main() {
  std::thread t(addTwo);
  t.join();
  std::printf("total %d\n", total);
}
