// Path-sensitive lock-state dataflow over one function model. States fork at try-locks and at
// branches on tracked values (so correlated conditions and stored try-lock results stay exact),
// and merge when they agree, which keeps the state space small on real code.
#pragma once

#include "engine/Model.h"
#include "engine/Observation.h"
#include "engine/Summary.h"

#include <vector>

namespace threadcheck::checkers {

// Analyses `fn` with the callees' summaries known. Returns its own summary; appends what it
// observes to `observations` when that is not null.
Summary analyzeFunction(const model::FunctionModel& fn, const SummaryTable& summaries,
                        const InitFacts& inits, std::vector<Observation>* observations);

} // namespace threadcheck::checkers
