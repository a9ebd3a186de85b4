// Runs the whole static pipeline (parse, model, summaries, checks) on in-memory sources.
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <string>
#include <utility>
#include <vector>

namespace threadcheck::checkers::testing {

struct Source {
  std::string name; // "a.cpp" or "a.c": the extension picks the language
  std::string code;
};

std::vector<Finding> analyze(const std::vector<Source>& sources);
std::vector<Finding> analyzeCpp(const std::string& code);
std::vector<Finding> analyzeC(const std::string& code);

// "double-lock@12" for each finding, sorted: compact to compare in EXPECT_EQ.
std::vector<std::string> summarize(const std::vector<Finding>& findings);

} // namespace threadcheck::checkers::testing

namespace threadcheck::checkers::testing {
// The "// expect: id[, id]" comments of a source, as summarize() would print them.
std::vector<std::string> expectations(const std::string& code);
} // namespace threadcheck::checkers::testing
