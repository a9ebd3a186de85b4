// What the writers print: the findings that survived suppressions and the baseline, each with its
// fingerprint, the translation units that could not be analysed, and how many were attempted.
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <string>
#include <vector>

namespace threadcheck::report {

// What became of a finding's fix under --fix.
enum class FixOutcome { NotRequested, Applied, Refused };

struct ReportedFinding {
  checkers::Finding finding;
  std::string fingerprint;
  FixOutcome fixOutcome = FixOutcome::NotRequested;
  std::string fixRefusal = {}; // Refused: why, one line
};

// A translation unit that failed to parse: its findings are missing from the report.
struct UnitError {
  std::string file; // absolute path of the main source file
  std::string message;
};

struct Report {
  std::vector<ReportedFinding> findings;
  std::vector<UnitError> errors;
  // Functions given up on (too many paths): analysed units, but their findings are missing.
  std::vector<checkers::IncompleteFunction> incomplete;
  unsigned translationUnits = 0; // attempted, failed ones included
  unsigned suppressedByNolint = 0;
  unsigned suppressedByBaseline = 0;
  bool fixing = false; // --fix: findings whose fix was applied are not open any more
};

// A finding still to be dealt with: any finding, unless --fix applied its fix.
inline bool isOpen(const ReportedFinding& rf) {
  return rf.fixOutcome != FixOutcome::Applied;
}

struct ReportContext {
  std::string cwd;        // text paths are shown relative to it when under it
  std::string sourceRoot; // SARIF/JSON/fingerprint paths are relative to it when under it
  std::string toolVersion;
};

} // namespace threadcheck::report
