// Each transfer holds both accounts' locks for the whole read-modify-write (std::scoped_lock
// takes them without lock-order deadlock).
#include <cassert>
#include <cstdio>
#include <mutex>
#include <thread>

struct Account {
  std::mutex m;
  int balance = 100;
};

Account a, b;

void transfer(Account& from, Account& to, int amount) {
  std::scoped_lock both(from.m, to.m);
  from.balance -= amount;
  to.balance += amount;
}

int main() {
  std::thread t1(transfer, std::ref(a), std::ref(b), 10);
  std::thread t2(transfer, std::ref(b), std::ref(a), 20);
  t1.join();
  t2.join();
  std::printf("total %d\n", a.balance + b.balance);
  assert(a.balance + b.balance == 200 && "money was created or destroyed");
}
