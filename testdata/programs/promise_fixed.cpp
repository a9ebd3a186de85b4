// Requests answered through std::promise / std::future in a loop, as thread pools and RPC layers
// do: each promise's shared state is freed and the next one is allocated at the same address,
// with a fresh once flag inside. The worker announces the result only after its bookkeeping is
// done, so the caller always sees both.
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
      ++completed;
      answer.set_value(i * i);
    });
    int v = reply.get();
    assert(v == i * i);
    assert(completed == i + 1 && "result seen before the worker finished its bookkeeping");
    worker.join();
  }
  std::printf("%d requests answered\n", completed);
}
