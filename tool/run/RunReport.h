// The text report of a finding and the `--report` JSON summary (DESIGN.md section 4).
#pragma once

#include "Explorer.h"
#include "Json.h"

#include <cstdio>
#include <string>

namespace threadcheck::run {

void printFinding(FILE* out, const Finding& f, const std::string& replayHint);

// One finding as it appears in the JSON reports (DESIGN.md section 4).
Json findingJson(const Finding& f);

// Returns an error message, empty on success. `outcome` is "bug", "clean" or "error".
std::string writeJsonReport(const std::string& path, const std::string& outcome,
                            const ExploreResult& r);

} // namespace threadcheck::run
