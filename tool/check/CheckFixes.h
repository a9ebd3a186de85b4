// --export-fixes and --fix, once the report's findings are final (after NOLINT and the baseline):
// the export file gets every reported finding with its replacements, then --fix applies the fixes
// that fit together and marks each finding fixed or not, so the writers can say so.
#pragma once

#include "check/CheckOptions.h"
#include "report/AtomicOutputFile.h"
#include "report/Report.h"
#include "report/SourceFiles.h"

#include <llvm/Support/Error.h>
#include <optional>
#include <string>

namespace threadcheck::check {

// Option combinations that make no sense with fixes, and the export file's destination, checked
// (and created) before any analysis so bad input fails fast and leaves no file behind.
llvm::Error prepareFixOutputs(const CheckOptions& o, const std::string& cwd,
                              std::optional<report::AtomicOutputFile>& exportFile);

// `mainSourceFile`: the first translation unit, which clang-tidy names in the export file.
// Errors (an unwritable export file or source) are one line each and mean exit code 2.
llvm::Error exportAndApplyFixes(const CheckOptions& o,
                                std::optional<report::AtomicOutputFile>& exportFile,
                                const std::string& mainSourceFile, const std::string& cwd,
                                report::Report& rep, report::SourceFiles& files);

} // namespace threadcheck::check
