// A GoogleTest binary for the `threadcheck run --gtest` tests: one test with a lock-order
// deadlock, clean tests of every listing shape (plain, typed, value-parameterised, no threads),
// a test that fails on its own, and disabled tests that must not be explored.
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <vector>

namespace {

std::mutex a, b;

TEST(Locks, AbbaDeadlock) {
  std::thread t([] {
    std::lock_guard<std::mutex> first(b);
    std::lock_guard<std::mutex> second(a);
  });
  {
    std::lock_guard<std::mutex> first(a);
    std::lock_guard<std::mutex> second(b);
  }
  t.join();
}

TEST(Locks, Ordered) {
  std::thread t([] { std::scoped_lock both(a, b); });
  {
    std::scoped_lock both(a, b);
  }
  t.join();
}

TEST(Locks, DISABLED_NeverExplored) {
  FAIL() << "disabled tests are not explored";
}

template <typename Mutex> class Counter : public testing::Test {};
using Mutexes = testing::Types<std::mutex, std::recursive_mutex>;
TYPED_TEST_SUITE(Counter, Mutexes);

TYPED_TEST(Counter, Increments) {
  TypeParam m;
  int n = 0;
  std::thread t([&] {
    std::lock_guard<TypeParam> g(m);
    ++n;
  });
  {
    std::lock_guard<TypeParam> g(m);
    ++n;
  }
  t.join();
  EXPECT_EQ(n, 2);
}

class Workers : public testing::TestWithParam<int> {};

TEST_P(Workers, AllJoin) {
  std::vector<std::thread> threads;
  std::mutex m;
  int done = 0;
  for (int i = 0; i < GetParam(); ++i)
    threads.emplace_back([&] {
      std::lock_guard<std::mutex> g(m);
      ++done;
    });
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(done, GetParam());
}

INSTANTIATE_TEST_SUITE_P(Sizes, Workers, testing::Values(2, 3));

TEST(NoThreads, Arithmetic) {
  EXPECT_EQ(2 + 2, 4);
}

TEST(Broken, FailsOnItsOwn) {
  std::thread t([] {});
  t.join();
  EXPECT_EQ(1, 2) << "this test fails without any interleaving";
}

TEST(DISABLED_Suite, NeverExplored) {
  FAIL() << "disabled suites are not explored";
}

} // namespace
