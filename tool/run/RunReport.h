// The text report of a finding and the `--report` JSON summary (DESIGN.md section 4).
#pragma once

#include "Explorer.h"

#include <cstdio>
#include <string>

namespace threadcheck::run {

void printFinding(FILE* out, const Finding& f, const std::string& replayHint);

// Returns an error message, empty on success. `outcome` is "bug", "clean" or "error".
std::string writeJsonReport(const std::string& path, const std::string& outcome,
                            const ExploreResult& r);

} // namespace threadcheck::run
