// What one translation unit contributes to a whole-program run: compact per-function models for the
// summary-based checks, and findings that AST-local checks reported while the AST was alive.
#pragma once

#include "threadcheck/checkers/ConditionWaitFacts.h"
#include "threadcheck/checkers/Finding.h"
#include "threadcheck/checkers/WaitWrapperFacts.h"

#include <memory>
#include <string>
#include <vector>

namespace threadcheck::checkers {

namespace model {
struct FunctionModel;
struct LockInitFact;
} // namespace model

// A fix that an AST pass prepared for a finding a model check may report later, when no AST is
// left to compute replacements from: the check with id `checkId` attaches it to its finding about
// the source position `anchor` (for lock-not-released, the `lock()` call that took the lock).
// Plain data, like the rest of the facts.
struct PreparedFix {
  std::string checkId;
  Location anchor;
  Fix fix;
};

struct TranslationUnitFacts {
  TranslationUnitFacts();
  ~TranslationUnitFacts();
  TranslationUnitFacts(TranslationUnitFacts&&) noexcept;
  TranslationUnitFacts& operator=(TranslationUnitFacts&&) noexcept;

  std::string mainFile;
  std::vector<Finding> localFindings;
  std::vector<std::unique_ptr<model::FunctionModel>> functions;
  std::vector<model::LockInitFact> lockInits;
  std::vector<ConditionWaitFact> conditionWaits; // for cv-mixed-mutexes
  std::vector<WaitWrapperFact> waitWrappers;     // for cv-wait-no-predicate
  std::vector<WaitCallFact> waitCalls;           // for cv-wait-no-predicate
  std::vector<PreparedFix> preparedFixes;
};

} // namespace threadcheck::checkers
