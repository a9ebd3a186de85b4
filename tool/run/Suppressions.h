// Choosing finding kinds for `threadcheck run`: --ignore=<kinds> and --suppressions=<file> with
// TSan-style lines `kind:function-glob` (docs/runtime.md).
#pragma once

#include "Explorer.h"

#include <string>
#include <vector>

namespace threadcheck::run {

// The finding kinds of DESIGN.md section 4, which --ignore and suppressions name.
const std::vector<std::string>& findingKinds();

// Parses a comma-separated list of finding kinds; returns an error message naming the first
// unknown or empty one, empty on success.
std::string parseKindList(const std::string& list, std::vector<std::string>& kinds);

struct Suppression {
  std::string kind;
  std::string glob; // fnmatch pattern over a whole function name (or source file path)
};

// Reads a suppressions file: one `kind:function-glob` a line, `#` comments, blank lines. Returns
// a one-line error ("<file>:<line>: <problem>" or "cannot read ..."), empty on success.
std::string readSuppressions(const std::string& path, std::vector<Suppression>& out);
// The same for the text of a suppressions file; `path` names it in errors.
std::string parseSuppressions(const std::string& text, const std::string& path,
                              std::vector<Suppression>& out);

// A finding is suppressed when a line names its kind and the glob matches a function (or the
// source file) of a frame of one of its threads' stacks. `f` must be symbolised.
bool suppressed(const std::vector<Suppression>& sup, const Finding& f);

} // namespace threadcheck::run
