// GoogleTest tests whose body threadcheck explores: the body runs under many schedules inside the
// test process, and a failing schedule is a test failure that names the finding, the threads'
// stacks, the saved schedule and the command that replays it.
//
//   TC_TEST(Queue, PushPop) {                       // default Options: 1000 schedules, seed 1
//     Queue q;
//     std::thread producer([&] { q.push(1); });
//     EXPECT_EQ(q.pop(), 1);
//     producer.join();
//   }
//   TC_TEST_OPTS(Queue, Drain, {.iterations = 200, .strategy = threadcheck::Strategy::Pct}) {
//     ...
//   }
//
// A failed EXPECT_*/ASSERT_* inside the body fails its schedule (saved and replayable like any
// finding). The test's name is the schedule files' test identity, and the replay command runs
// just this test: THREADCHECK_REPLAY=<file> <test-binary> --gtest_filter=Suite.Name.
// Requires GoogleTest built with thread support (the default on POSIX).
#pragma once

#include <climits>
#include <exception>
#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <threadcheck/threadcheck.hpp>
#include <unistd.h>
#include <vector>

namespace threadcheck::gtest {

// Failed parts of the running test so far, counted from any thread.
inline int failedParts() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (!info)
    return 0;
  const ::testing::TestResult* result = info->result();
  int failed = 0;
  for (int i = 0; i < result->total_part_count(); ++i)
    if (result->GetTestPartResult(i).failed())
      ++failed;
  return failed;
}

inline std::string executable() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("test-binary");
}

// Explores `body` as the current test: findings and errors become GoogleTest failures.
inline void explore(Options options, const std::function<void()>& body) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string id = info ? std::string(info->test_suite_name()) + "." + info->name() : "";
  if (options.name.empty())
    options.name = id;
  if (options.command.empty())
    options.command = {executable(), "--gtest_filter=" + id};
  options.print = false; // reported below, as test failures
  auto checked = [&body] {
    int before = failedParts();
    body();
    if (failedParts() != before)
      ::threadcheck::fail("a GoogleTest assertion failed in this schedule");
  };
  Result r;
  try {
    r = ::threadcheck::explore(options, checked);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threadcheck could not explore " << id << ": " << e.what();
    return;
  }
  for (const Finding& f : r.findings)
    ADD_FAILURE() << f.report();
  if (!r.error.empty())
    ADD_FAILURE() << "threadcheck: " << r.error;
}

} // namespace threadcheck::gtest

#define TC_DETAIL_BODY(Suite, Name) threadcheck_body_##Suite##_##Name

// TC_TEST_OPTS(Suite, Name, {.iterations = 200, .seed = 7}) { body }: the options are a braced
// threadcheck::Options initialiser (designated initialisers in declaration order).
#define TC_TEST_OPTS(Suite, Name, ...)                                                             \
  static void TC_DETAIL_BODY(Suite, Name)();                                                       \
  TEST(Suite, Name) {                                                                              \
    ::threadcheck::gtest::explore(::threadcheck::Options __VA_ARGS__,                              \
                                  &TC_DETAIL_BODY(Suite, Name));                                   \
  }                                                                                                \
  static void TC_DETAIL_BODY(Suite, Name)()

// TC_TEST(Suite, Name) { body }: explored with the default options.
#define TC_TEST(Suite, Name) TC_TEST_OPTS(Suite, Name, {})
