// clang-tidy style suppression comments: NOLINT, NOLINT(checks), NOLINTNEXTLINE(checks) and
// NOLINTBEGIN(checks) ... NOLINTEND(checks). As in clang-tidy the markers are found anywhere on a
// line, so they work in both // and /* */ comments.
#pragma once

#include "report/SourceFiles.h"
#include "threadcheck/checkers/Finding.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace threadcheck::report {

// The suppressions of one file.
class NolintIndex {
public:
  explicit NolintIndex(const std::vector<std::string>& lines);

  // Whether a finding of `checkId` on `line` (1-based) is suppressed.
  bool suppresses(unsigned line, std::string_view checkId) const;

private:
  struct Range {
    unsigned first = 0;
    unsigned last = 0;
    // The text between the parentheses; nullopt when the marker names no checks (all suppressed).
    std::optional<std::string> checks;
  };
  std::vector<Range> ranges_;
};

// Whether `checkId` is selected by a NOLINT check list such as "double-lock,threadcheck-lock-*".
// Globs may carry clang-tidy's "threadcheck-" prefix; a "-glob" deselects and later globs win.
bool nolintListMatches(std::string_view checks, std::string_view checkId);

// Applies the suppression comments of the files the findings are in, read through `files`.
class Suppressions {
public:
  explicit Suppressions(SourceFiles& files) : files_(files) {}
  bool suppressed(const checkers::Finding& finding);

private:
  SourceFiles& files_;
  std::map<std::string, NolintIndex> indexes_;
};

} // namespace threadcheck::report
