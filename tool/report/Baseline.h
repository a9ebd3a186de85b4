// The baseline file of --baseline / --write-baseline: the fingerprints of accepted findings, with
// the check, file and message kept beside each only so that people can read and review it.
//   {"version":1,"tool":"threadcheck","fingerprints":[{"fingerprint":..,"check":..,"file":..,
//    "message":..}]}
#pragma once

#include "report/Report.h"

#include <llvm/Support/Error.h>
#include <set>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace threadcheck::report {

// The fingerprints in the baseline at `path`; the error names the file and what is wrong with it.
llvm::Expected<std::set<std::string>> readBaseline(const std::string& path);

// Parses baseline text; `name` is used in error messages.
llvm::Expected<std::set<std::string>> parseBaseline(llvm::StringRef text, const std::string& name);

void writeBaseline(llvm::raw_ostream& os, const std::vector<ReportedFinding>& findings,
                   const ReportContext& context);

} // namespace threadcheck::report
