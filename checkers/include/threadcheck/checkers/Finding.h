// The result of static analysis, independent of Clang so report writers and tests need no AST.
#pragma once

#include <optional>
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

// A function whose paths were too many to follow within the analysis budget: nothing is reported
// inside it (what was seen may be wrong), and its callers see it as a function without a body.
struct IncompleteFunction {
  std::string name; // qualified, for messages
  Location loc;     // its declaration
};

// A step on the path that explains a finding ("'mu' acquired here", "taking the false branch").
struct Note {
  Location loc;
  std::string message;
  // Notes that belong to one chain (a thread flow) share a flow index; 0 for a single path.
  unsigned flow = 0;
};

// One edit of a source file, as clang-apply-replacements takes it: `length` bytes at byte `offset`
// of `file` are replaced by `text` (an insertion when length is 0, a deletion when text is empty).
struct Replacement {
  std::string file; // absolute, normalised path
  unsigned offset = 0;
  unsigned length = 0;
  std::string text;

  friend bool operator==(const Replacement&, const Replacement&) = default;
  friend auto operator<=>(const Replacement&, const Replacement&) = default;
};

// A mechanical change that removes a finding. Its replacements belong together: a tool applies all
// of them or none.
struct Fix {
  std::string description; // one line: "name the guard 'lock'"
  std::vector<Replacement> replacements;

  friend bool operator==(const Fix&, const Fix&) = default;
};

struct Finding {
  std::string checkId;
  Location loc;
  std::string message;
  std::vector<Note> notes;
  // Qualified name of the function the finding is in; part of the fingerprint, so a finding keeps
  // its identity when unrelated lines above it move.
  std::string function;
  // Only where the change is certain to compile and to keep the code's meaning apart from the bug.
  std::optional<Fix> fix;
};

// Orders findings by file, line, column, check id and message, and drops exact duplicates
// (the same finding reached from two template instantiations or two translation units).
void sortAndDeduplicate(std::vector<Finding>& findings);

} // namespace threadcheck::checkers
