// The result of static analysis, independent of Clang so report writers and tests need no AST.
#pragma once

#include <string>
#include <vector>

namespace threadcheck::checkers {

struct Location {
  std::string file; // absolute, normalised path
  unsigned line = 0;
  unsigned column = 0;

  bool valid() const { return !file.empty() && line != 0; }
  friend bool operator==(const Location&, const Location&) = default;
  friend auto operator<=>(const Location&, const Location&) = default;
};

// A step on the path that explains a finding ("'mu' acquired here", "taking the false branch").
struct Note {
  Location loc;
  std::string message;
  // Notes that belong to one chain (a thread flow) share a flow index; 0 for a single path.
  unsigned flow = 0;
};

struct Finding {
  std::string checkId;
  Location loc;
  std::string message;
  std::vector<Note> notes;
  // Qualified name of the function the finding is in; part of the fingerprint, so a finding keeps
  // its identity when unrelated lines above it move.
  std::string function;
};

// Orders findings by file, line, column, check id and message, and drops exact duplicates
// (the same finding reached from two template instantiations or two translation units).
void sortAndDeduplicate(std::vector<Finding>& findings);

} // namespace threadcheck::checkers
