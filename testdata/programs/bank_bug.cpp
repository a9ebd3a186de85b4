// Atomicity violation: each access to a balance is locked, but a transfer reads and writes in two
// separate critical sections, so concurrent transfers lose money.
#include <cassert>
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex m;
  int balance = 100;
  int read() {
    std::lock_guard<std::mutex> g(m);
    return balance;
  }
  void write(int v) {
    std::lock_guard<std::mutex> g(m);
    balance = v;
  }
};

Account a, b;

void transfer(Account& from, Account& to, int amount) {
  int f = from.read();
  from.write(f - amount);
  int t = to.read();
  to.write(t + amount);
}

int main() {
  std::thread t1(transfer, std::ref(a), std::ref(b), 10);
  std::thread t2(transfer, std::ref(b), std::ref(a), 20);
  t1.join();
  t2.join();
  std::printf("total %d\n", a.read() + b.read());
  assert(a.read() + b.read() == 200 && "money was created or destroyed");
}
