// The --gtest_list_tests parser and the splitting of a test binary's arguments.
#include "run/GtestList.h"

#include <gtest/gtest.h>

namespace threadcheck::run {
namespace {

std::vector<std::string> names(const std::vector<GtestTest>& tests) {
  std::vector<std::string> out;
  for (const auto& t : tests)
    out.push_back(t.name + (t.disabled ? " (disabled)" : ""));
  return out;
}

TEST(GtestList, PlainTypedAndParameterisedTests) {
  std::string error;
  auto tests = parseGtestList("Locks.\n"
                              "  Abba\n"
                              "  DISABLED_Slow\n"
                              "Counter/0.  # TypeParam = std::mutex\n"
                              "  Increments\n"
                              "Sizes/Workers.\n"
                              "  AllJoin/0  # GetParam() = 2\n"
                              "  AllJoin/1  # GetParam() = (1, \"a b\")\n"
                              "DISABLED_Suite.\n"
                              "  Never\n"
                              "Inst/DISABLED_Suite.\n"
                              "  Never/0  # GetParam() = 1\n",
                              error);
  ASSERT_TRUE(tests) << error;
  EXPECT_EQ(names(*tests),
            (std::vector<std::string>{"Locks.Abba", "Locks.DISABLED_Slow (disabled)",
                                      "Counter/0.Increments", "Sizes/Workers.AllJoin/0",
                                      "Sizes/Workers.AllJoin/1", "DISABLED_Suite.Never (disabled)",
                                      "Inst/DISABLED_Suite.Never/0 (disabled)"}));
}

TEST(GtestList, OtherOutputIsSkipped) {
  std::string error;
  // Output of a static constructor before the list, CRLF line ends, a stray indented line that
  // belongs to no suite.
  auto tests =
      parseGtestList("  orphan\r\nstarting up...\r\nA.\r\n  B\r\nnot a suite line\n  C\n", error);
  ASSERT_TRUE(tests) << error;
  EXPECT_EQ(names(*tests), std::vector<std::string>{"A.B"});
}

TEST(GtestList, EmptyListIsNoTests) {
  std::string error;
  auto tests = parseGtestList("Running main() from gtest_main.cc\n", error);
  ASSERT_TRUE(tests);
  EXPECT_TRUE(tests->empty());
}

TEST(GtestList, TestRunInsteadOfListIsRejected) {
  std::string error;
  EXPECT_FALSE(parseGtestList("[==========] Running 2 tests from 1 test suite.\n"
                              "[ RUN      ] A.B\n[       OK ] A.B (0 ms)\n",
                              error));
  EXPECT_NE(error.find("ran its tests instead of listing them"), std::string::npos);
}

TEST(GtestArgs, FilterSeparatedLastOneWins) {
  std::string error;
  auto a = splitGtestArgs({"--gtest_filter=A.*", "--verbose", "--gtest-filter=B.*",
                           "--gtest_list_tests", "--gtest_repeat=2"},
                          error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->filter, "B.*");
  EXPECT_EQ(a->other, (std::vector<std::string>{"--verbose", "--gtest_repeat=2"}));
  EXPECT_FALSE(a->alsoRunDisabled);
}

TEST(GtestArgs, AlsoRunDisabled) {
  std::string error;
  EXPECT_TRUE(splitGtestArgs({"--gtest_also_run_disabled_tests"}, error)->alsoRunDisabled);
  EXPECT_FALSE(splitGtestArgs({"--gtest_also_run_disabled_tests=0"}, error)->alsoRunDisabled);
}

TEST(GtestArgs, FilterWithoutValueIsAnError) {
  std::string error;
  EXPECT_FALSE(splitGtestArgs({"--gtest_filter"}, error));
  EXPECT_NE(error.find("needs a value"), std::string::npos);
}

} // namespace
} // namespace threadcheck::run
