// Path-sensitive lock-state dataflow over one function model. States fork at try-locks and at
// branches on tracked values (so correlated conditions and stored try-lock results stay exact),
// and merge when they agree, which keeps the state space small on real code.
#pragma once

#include "engine/Model.h"
#include "engine/Observation.h"
#include "engine/Summary.h"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace threadcheck::checkers {

// A callee's summary for the constant arguments one call passes (a mode flag: pause or resume),
// or null for its summary in general.
using SpecialisedSummary = std::function<const Summary*(const model::Event& call)>;

// What is known on entry: a scalar parameter's atom and its value.
using EntryFacts = std::vector<std::pair<std::string, int64_t>>;

// Analyses `fn` with the callees' summaries known. Returns its own summary; appends what it
// observes to `observations` when that is not null.
Summary analyzeFunction(const model::FunctionModel& fn, const SummaryTable& summaries,
                        const InitFacts& inits, std::vector<Observation>* observations,
                        const SpecialisedSummary& specialised = {}, const EntryFacts& entry = {});

} // namespace threadcheck::checkers
