// The same transfers as TC_TEST tests: each body is explored in-process by the threadcheck runtime
// linked into this binary (threadcheck::runtime), so a plain `ctest` run finds the deadlock with no
// wrapper. An ordinary GoogleTest binary: CMakeLists.txt registers it with gtest_discover_tests.
#include "bank/bank.h"

#include <thread>
#include <threadcheck/gtest.hpp>

namespace {

void opposite(void (*transfer)(bank::Account&, bank::Account&, long)) {
  bank::Account alice, bob;
  alice.balance = 100;
  bob.balance = 100;
  std::thread t1([&] { transfer(alice, bob, 10); });
  std::thread t2([&] { transfer(bob, alice, 10); });
  t1.join();
  t2.join();
  EXPECT_EQ(alice.balance + bob.balance, 200);
}

TC_TEST_OPTS(TransferExplored, UnorderedLocks, {.iterations = 300}) {
  opposite(bank::transferUnordered);
}

TC_TEST_OPTS(TransferExplored, ScopedLock, {.iterations = 300}) {
  opposite(bank::transfer);
}

} // namespace
