// Race-free: each thread updates its own thread_local counter.
#include <thread>
thread_local int calls;
int results[2];
void work(int i) {
  ++calls;
  ++calls;
  results[i] = calls;
}
int main() {
  std::thread a(work, 0), b(work, 1);
  a.join();
  b.join();
  return results[0] == 2 && results[1] == 2 ? 0 : 1;
}
