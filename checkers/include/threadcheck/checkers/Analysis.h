// The whole-program part: summaries of every function across all translation units, then the
// model-based checks over each function with those summaries known. No AST is needed here.
#pragma once

#include "threadcheck/checkers/CheckRegistry.h"
#include "threadcheck/checkers/Facts.h"
#include "threadcheck/checkers/Finding.h"

#include <string>
#include <vector>

namespace threadcheck::checkers {

// Returns every finding of the enabled checks, the AST-local ones included, sorted and
// de-duplicated. `incomplete`, when given, receives the functions that were given up on.
std::vector<Finding> analyzeProgram(const std::vector<TranslationUnitFacts>& units,
                                    const CheckFilter& filter,
                                    std::vector<IncompleteFunction>* incomplete = nullptr);

} // namespace threadcheck::checkers
