// Ordinary GoogleTest tests of the bank: nothing here knows about threadcheck.
// threadcheck_discover_tests() in CMakeLists.txt explores each test's interleavings.
#include "bank/bank.h"

#include <gtest/gtest.h>
#include <thread>

namespace {

using Transfer = void (*)(bank::Account&, bank::Account&, long);

// Two threads move money in opposite directions at the same time; money is neither made nor lost.
void opposite(Transfer transfer, long amount) {
  bank::Account alice, bob;
  alice.balance = 100;
  bob.balance = 100;
  std::thread t1([&] { transfer(alice, bob, amount); });
  std::thread t2([&] { transfer(bob, alice, amount); });
  t1.join();
  t2.join();
  EXPECT_EQ(alice.balance + bob.balance, 200);
  EXPECT_EQ(alice.balance, 100);
}

TEST(Transfer, UnorderedLocks) {
  opposite(bank::transferUnordered, 10);
}

TEST(Transfer, ScopedLock) {
  opposite(bank::transfer, 10);
}

class TransferAmount : public testing::TestWithParam<long> {};

TEST_P(TransferAmount, ScopedLockKeepsTheTotal) {
  opposite(bank::transfer, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Amounts, TransferAmount, testing::Values(1L, 50L));

} // namespace
