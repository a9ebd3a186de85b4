// Fingerprints identify a finding across edits that do not touch it, so a baseline or a SARIF
// consumer (GitHub code scanning) keeps recognising it when unrelated lines above it move. They
// hash what a line shift leaves alone: the check id, the path relative to the source root, the
// enclosing function, the message without line numbers, the text of the flagged line, and an
// occurrence index that tells identical tuples apart.
#pragma once

#include "report/SourceFiles.h"
#include "threadcheck/checkers/Finding.h"

#include <string>
#include <string_view>
#include <vector>

namespace threadcheck::report {

// Drops standalone numbers ("line 12", "a.cpp:12:3", "[3]") but keeps digits that are part of a
// name ("mu2"), since two mutexes that differ by a digit are different findings.
std::string normalizeMessage(std::string_view message);

// One 16 hex digit fingerprint per finding, in the same order. Findings are expected in report
// order (sorted), which fixes the occurrence indices.
std::vector<std::string> computeFingerprints(const std::vector<checkers::Finding>& findings,
                                             std::string_view sourceRoot, SourceFiles& files);

} // namespace threadcheck::report
