// Requests answered through std::promise / std::future in a loop, but the worker announces the
// result before its bookkeeping: the caller may wake up and check the count first.
#include <cassert>
#include <cstdio>
#include <future>
#include <thread>

int completed = 0;

int main() {
  for (int i = 0; i < 8; ++i) {
    std::promise<int> answer;
    std::future<int> reply = answer.get_future();
    std::thread worker([&answer, i] {
      answer.set_value(i * i);
      ++completed; // too late: the caller may already be checking
    });
    int v = reply.get();
    assert(v == i * i);
    assert(completed == i + 1 && "result seen before the worker finished its bookkeeping");
    worker.join();
  }
  std::printf("%d requests answered\n", completed);
}
