// A toy bank: accounts guarded by their own mutex, and two ways to move money between them.
#pragma once

#include <mutex>

namespace bank {

struct Account {
  std::mutex m;
  long balance = 0;
};

// The bug: locks `from` then `to`. Two transfers in opposite directions can each hold one lock and
// wait for the other's: a lock-order deadlock that a plain test run almost never hits.
void transferUnordered(Account& from, Account& to, long amount);

// The fix: std::scoped_lock takes both locks without a fixed order (deadlock avoidance).
void transfer(Account& from, Account& to, long amount);

} // namespace bank
