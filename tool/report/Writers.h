// The three report formats of `threadcheck check --format=...` and the closing summary line.
#pragma once

#include "report/Report.h"
#include "report/SourceFiles.h"

#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace threadcheck::report {

// Clang style: "path:line:col: warning: message [check-id]", the source line with a caret under
// the column, then one "path:line:col: note: message" line per note.
void writeText(llvm::raw_ostream& os, const Report& report, const ReportContext& context,
               SourceFiles& files);

// {"version":1,"tool":"threadcheck","findings":[...],"errors":[...],"translation_units":N}
void writeJson(llvm::raw_ostream& os, const Report& report, const ReportContext& context);

// SARIF 2.1.0 with one run (DESIGN.md section 3).
void writeSarif(llvm::raw_ostream& os, const Report& report, const ReportContext& context);

// "3 findings in 2 files (12 translation units analysed)", plus what was suppressed or failed.
std::string summaryLine(const Report& report);

} // namespace threadcheck::report
