// What one translation unit contributes to a whole-program run: compact per-function models for the
// summary-based checks, and findings that AST-local checks reported while the AST was alive.
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <memory>
#include <string>
#include <vector>

namespace threadcheck::checkers {

namespace model {
struct FunctionModel;
struct LockInitFact;
} // namespace model

struct TranslationUnitFacts {
  TranslationUnitFacts();
  ~TranslationUnitFacts();
  TranslationUnitFacts(TranslationUnitFacts&&) noexcept;
  TranslationUnitFacts& operator=(TranslationUnitFacts&&) noexcept;

  std::string mainFile;
  std::vector<Finding> localFindings;
  std::vector<std::unique_ptr<model::FunctionModel>> functions;
  std::vector<model::LockInitFact> lockInits;
};

} // namespace threadcheck::checkers
