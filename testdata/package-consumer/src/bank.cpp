#include "bank/bank.h"

namespace bank {

void transferUnordered(Account& from, Account& to, long amount) {
  std::lock_guard<std::mutex> a(from.m);
  std::lock_guard<std::mutex> b(to.m);
  from.balance -= amount;
  to.balance += amount;
}

void transfer(Account& from, Account& to, long amount) {
  std::scoped_lock both(from.m, to.m);
  from.balance -= amount;
  to.balance += amount;
}

} // namespace bank
