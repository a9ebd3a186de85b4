// The two kinds of checks: model checks turn the lock-state analysis's observations into
// findings; AST checks look at one translation unit's syntax while it is parsed.
#pragma once

#include "engine/Observation.h"
#include "threadcheck/checkers/Finding.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace threadcheck::checkers {

struct PreparedFix;
struct TranslationUnitFacts;
struct Summary;

// What a ProgramCheck sees: every unit's facts and every function's summary (by USR).
struct ProgramView {
  const std::vector<TranslationUnitFacts>* units = nullptr;
  std::function<const Summary*(const std::string& usr)> summaryOf;
};

class ModelCheck {
public:
  virtual ~ModelCheck() = default;
  virtual std::string_view id() const = 0;
  // Before any observation, with every unit's facts: where a check picks up the fixes that its
  // FixPass prepared while the ASTs were alive.
  virtual void begin(const ProgramView& program) { (void)program; }
  virtual void check(const Observation& obs, std::vector<Finding>& out) = 0;
  // After every function's observations: for checks that need the whole program at once.
  virtual void finish(std::vector<Finding>& out) { (void)out; }
};

class AstCheck {
public:
  virtual ~AstCheck() = default;
  virtual std::string_view id() const = 0;
  virtual void check(clang::ASTContext& ctx, std::vector<Finding>& out) const = 0;
  // For checks that compare what several translation units do (a ProgramCheck of the same id):
  // records this unit's part in its facts.
  virtual void collect(clang::ASTContext& ctx, TranslationUnitFacts& unit) const {
    (void)ctx;
    (void)unit;
  }
};

// Prepares fixes for a model check's findings: those are found after every unit is parsed, when
// source ranges are gone, so replacements are computed here, per unit, for every place where the
// check might report, and matched to findings by location (ModelCheck::begin).
class FixPass {
public:
  virtual ~FixPass() = default;
  virtual std::string_view checkId() const = 0; // the model check whose findings it serves
  virtual void prepare(clang::ASTContext& ctx, std::vector<PreparedFix>& out) const = 0;
};

// A check over facts that AST checks gathered in every translation unit (one condition variable
// waited on with two mutexes in two files, say): it runs once, after all units are parsed, with
// the summaries of every function known.
class ProgramCheck {
public:
  virtual ~ProgramCheck() = default;
  virtual std::string_view id() const = 0;
  virtual void check(const ProgramView& program, std::vector<Finding>& out) = 0;
};

std::vector<std::unique_ptr<ModelCheck>> createModelChecks();
std::vector<std::unique_ptr<AstCheck>> createAstChecks();
std::vector<std::unique_ptr<ProgramCheck>> createProgramChecks();
std::vector<std::unique_ptr<FixPass>> createFixPasses();

// Shared wording helpers.
Finding makeFinding(const Observation& obs, std::string_view checkId, std::string message);
std::string quoted(const std::string& s);
std::string atLine(const model::Loc& loc); // " (at line N)" or ""
std::string baseName(const std::string& path); // "queue.c" for "/src/queue.c"
// One lock of the whole program, whichever function names it: a global or static is itself, a
// lock reached through a parameter or `this` is its declaration ("Account::mu"), so every
// Account's mu is one node. Empty when the lock has no name that outlives the function.
std::string lockNode(const model::ObjRef& ref);

} // namespace threadcheck::checkers
