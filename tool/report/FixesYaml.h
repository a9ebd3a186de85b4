// The --export-fixes file: the reported findings as clang-apply-replacements YAML, exactly as
// clang-tidy --export-fixes writes it (one document: MainSourceFile, then one Diagnostics entry per
// finding with its message, position and replacements), so the same tools apply either.
#pragma once

#include "report/Report.h"
#include "report/SourceFiles.h"

#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace threadcheck::report {

// `mainSourceFile` is the first translation unit analysed (clang-tidy's choice with several);
// `buildDirectory` is where relative paths would be resolved (all paths written are absolute).
// Findings without a fix are listed with no replacements, as clang-tidy lists its warnings.
void writeFixesYaml(llvm::raw_ostream& os, const std::vector<ReportedFinding>& findings,
                    const std::string& mainSourceFile, const std::string& buildDirectory,
                    SourceFiles& files);

} // namespace threadcheck::report
