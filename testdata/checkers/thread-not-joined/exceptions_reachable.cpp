// thread-not-joined on exception paths: a joinable std::thread destroyed by unwinding calls
// std::terminate, but only an exception really on its way counts (a throw, a callee a throw
// escapes from, a standard function that throws on bad input). Calls that can throw only by
// running out of memory, noexcept and C functions, and declarations whose bodies are not seen
// are no evidence; one finding per thread.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace reachable {

static void work(int n) { std::printf("%d\n", n); }
void external_step(int n); // only declared: its body is not seen
static int checked(int v) {
  if (v < 0)
    throw std::out_of_range("negative");
  return v;
}

// case: good
// Allocation only: push_back and building a std::string.
void record(std::vector<int>& done, int chunk) {
  std::thread worker(work, chunk);
  done.push_back(chunk);
  std::string line = "chunk " + std::to_string(chunk);
  std::puts(line.c_str());
  worker.join();
}

// case: good
void call_outside(int n) {
  std::thread worker(work, n);
  external_step(n);
  worker.join();
}

// case: bad
// Two throwing calls while the thread runs: one finding, at the first.
int two_throws(int a, int b) {
  std::thread worker(work, a);
  int x = checked(a); // expect: thread-not-joined
  int y = checked(b);
  worker.join();
  return x + y;
}

} // namespace reachable
