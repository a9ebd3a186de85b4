// `threadcheck run --gtest`: every test of an ordinary GoogleTest binary explored on its own
// (`<binary> --gtest_filter=Suite.Name`), reported per test, with a summary and an optional JSON
// report holding each test's result.
#pragma once

#include "Explorer.h"

#include <string>

namespace threadcheck::run {

struct GtestRunOptions {
  ExploreOptions explore; // argv: the resolved test binary and the arguments given after it
  std::string outputDir;  // where failing schedules go (created by the caller unless listOnly)
  std::string reportPath; // empty: no JSON report
  bool listOnly = false;  // print the tests that would be explored, one a line, and stop
};

// Prints the per-test report on stdout and the summary line on stderr; returns the exit code
// (0 every test clean, 1 a finding or a test failing without exploration, 2 bad input or a tool
// failure).
int runGtest(const GtestRunOptions& o);

} // namespace threadcheck::run
