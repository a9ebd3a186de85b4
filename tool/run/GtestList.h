// The tests of a GoogleTest binary: recognising such a binary, separating the user's
// `--gtest_filter` from the other arguments, and parsing `--gtest_list_tests` output (plain,
// value-parameterised and typed tests).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace threadcheck::run {

// True when the ELF file links libgtest or defines or imports GoogleTest's symbols (testing::...).
// Sets `error` when the file cannot be read as ELF.
bool isGtestBinary(const std::string& path, std::string& error);

struct GtestArgs {
  std::string filter;             // the user's --gtest_filter value; empty: none given
  std::vector<std::string> other; // every other argument, in order
  bool alsoRunDisabled = false;   // --gtest_also_run_disabled_tests was given
};

// Splits the arguments that follow the test binary. `--gtest_list_tests` is dropped (the runner
// lists by itself). Returns nullopt with a reason for `--gtest_filter` without a value.
std::optional<GtestArgs> splitGtestArgs(const std::vector<std::string>& args, std::string& error);

struct GtestTest {
  std::string name; // Suite.Name as --gtest_filter takes it, e.g. Inst/Suite.Case/0
  bool disabled = false;
};

// Parses `--gtest_list_tests` output. Suite lines end in '.' (typed suites carry a
// "# TypeParam = ..." comment), test lines are indented (parameterised ones carry
// "# GetParam() = ..."). Lines of other shapes (a parameter printed over several lines, output of
// static constructors, gtest_main's banner) are skipped. Returns nullopt with a reason when the
// binary ran its tests instead of listing them.
std::optional<std::vector<GtestTest>> parseGtestList(const std::string& output, std::string& error);

} // namespace threadcheck::run
