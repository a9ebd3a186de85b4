// Runs a program natively (no runtime preloaded) with a wall-clock limit and captures its output:
// how `threadcheck run --gtest` lists a binary's tests and checks whether a test fails without
// exploration.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace threadcheck::run {

struct ChildResult {
  std::string error; // the program could not be started; empty when it ran
  bool timedOut = false;
  int exitCode = 0; // valid when it exited
  int signal = 0;   // non-zero when a signal ended it
  std::string out;  // its stdout
  std::string err;  // its stderr
};

// Runs `argv` (found through PATH like execvp) with stdin from /dev/null; kills its process group
// after `timeoutMs`.
ChildResult runChild(const std::vector<std::string>& argv, uint64_t timeoutMs);

// "exit status 1", "signal 11 (Segmentation fault)", "timed out after 10s".
std::string describeEnd(const ChildResult& r, uint64_t timeoutMs);

} // namespace threadcheck::run
