// cv-mixed-mutexes: every thread waiting on one condition variable must release the same mutex.
// POSIX leaves concurrent waits with different mutexes undefined, and with any API the waiter that
// tests the condition under mutex A does not exclude a notifier that changes it under mutex B: the
// notification can fall between the test and the wait and be lost. Condition variables and mutexes
// are named by declaration (`Queue::cv`, a global, a static), and the waits of every translation
// unit are compared, so `pthread_cond_wait(&cv, &m1)` in one file and `(&cv, &m2)` in another is
// found.
#include "checks/Check.h"
#include "checks/SyncPrimitives.h"
#include "engine/ModelBuilder.h"
#include "engine/PeelTemporaries.h"
#include "engine/ThreadingApi.h"
#include "threadcheck/checkers/Facts.h"

#include <algorithm>
#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <map>
#include <set>
#include <tuple>

namespace threadcheck::checkers {
namespace {

using namespace clang;

// Is the guard variable given another mutex anywhere in its function (assigned, swapped)?
class GuardRebinding : public RecursiveASTVisitor<GuardRebinding> {
public:
  explicit GuardRebinding(const VarDecl* guard) : guard_(guard) {}
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr* op) {
    if (op->getOperator() == OO_Equal && op->getNumArgs() > 0 && refersToGuard(op->getArg(0)))
      found = true;
    return !found;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr* call) {
    const CXXMethodDecl* md = call->getMethodDecl();
    if (md && md->getIdentifier() && md->getName() == "swap" &&
        (refersToGuard(call->getImplicitObjectArgument()) ||
         (call->getNumArgs() > 0 && refersToGuard(call->getArg(0)))))
      found = true;
    return !found;
  }
  bool found = false;

private:
  bool refersToGuard(const Expr* e) const {
    const auto* dre = dyn_cast_or_null<DeclRefExpr>(e ? e->IgnoreParenImpCasts() : nullptr);
    return dre && dre->getDecl() == guard_;
  }
  const VarDecl* guard_;
};

class Collector : public RecursiveASTVisitor<Collector> {
public:
  Collector(ASTContext& ctx, std::vector<ConditionWaitFact>& out) : ctx_(ctx), out_(out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl* d) {
    if (!d)
      return true;
    if (!isa<TranslationUnitDecl>(d)) {
      const SourceManager& sm = ctx_.getSourceManager();
      SourceLocation loc = d->getLocation();
      if (loc.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(loc)))
        return true;
    }
    if (const auto* fd = dyn_cast<FunctionDecl>(d)) {
      std::string saved = function_;
      function_ = api::findingFunctionName(fd);
      bool ok = RecursiveASTVisitor::TraverseDecl(d);
      function_ = saved;
      return ok;
    }
    return RecursiveASTVisitor::TraverseDecl(d);
  }

  bool VisitCallExpr(CallExpr* call) {
    auto wait = sync::classifyCvWait(call);
    if (!wait || !wait->cv || !wait->lock)
      return true;
    ConditionWaitFact fact;
    fact.condition = sync::declarationKey(wait->cv, ctx_);
    const Expr* mutex = mutexOf(wait->lock);
    if (fact.condition.empty() || !mutex)
      return true;
    fact.mutex = sync::declarationKey(mutex, ctx_);
    if (fact.mutex.empty())
      return true;
    fact.conditionText = sync::spelling(sync::designatedObject(wait->cv), ctx_);
    fact.mutexText = sync::spelling(sync::designatedObject(mutex), ctx_);
    fact.loc = model::toLocation(toModelLoc(ctx_, call->getBeginLoc()));
    fact.function = function_;
    out_.push_back(std::move(fact));
    return true;
  }

private:
  // The mutex a wait releases: the C mutex argument, a lockable passed to condition_variable_any,
  // or the mutex a local guard was constructed with (and never rebound).
  const Expr* mutexOf(const Expr* lockArg) const {
    const Expr* lock = sync::designatedObject(lockArg);
    if (api::guardKind(lock->getType()) == api::GuardKind::None)
      return lockArg;
    const auto* dre = dyn_cast<DeclRefExpr>(lock);
    const auto* guard = dre ? dyn_cast<VarDecl>(dre->getDecl()) : nullptr;
    if (!guard || isa<ParmVarDecl>(guard) || !guard->hasLocalStorage() || !guard->getInit())
      return nullptr;
    const auto* ctor = dyn_cast<CXXConstructExpr>(peelTemporaries(guard->getInit()));
    if (!ctor || ctor->getNumArgs() == 0 ||
        api::guardKind(ctor->getArg(0)->getType()) != api::GuardKind::None)
      return nullptr;
    if (const auto* fn = dyn_cast<FunctionDecl>(guard->getDeclContext()); fn && fn->getBody()) {
      GuardRebinding rebinding(guard);
      rebinding.TraverseStmt(fn->getBody());
      if (rebinding.found)
        return nullptr;
    }
    return ctor->getArg(0);
  }

  ASTContext& ctx_;
  std::vector<ConditionWaitFact>& out_;
  std::string function_;
};

// What a declaration key shows in a message: locals by name.
std::string shownName(const std::string& key) {
  if (key.rfind("local:", 0) == 0 || key.find('/') != std::string::npos)
    return key.substr(key.rfind(':') + 1);
  return key;
}

// "'q->lock' (pool::lock)", or just "'g_mu'" when the text is the declaration's name.
std::string describe(const std::string& text, const std::string& key) {
  std::string decl = shownName(key);
  return quoted(text) + (decl == text ? std::string() : " (" + decl + ")");
}

class CvMixedMutexesCollector : public AstCheck {
public:
  std::string_view id() const override { return "cv-mixed-mutexes"; }
  void check(ASTContext&, std::vector<Finding>&) const override {}
  void collect(ASTContext& ctx, TranslationUnitFacts& unit) const override {
    Collector(ctx, unit.conditionWaits).TraverseDecl(ctx.getTranslationUnitDecl());
  }
};

class CvMixedMutexesCheck : public ProgramCheck {
public:
  std::string_view id() const override { return "cv-mixed-mutexes"; }

  void check(const ProgramView& program, std::vector<Finding>& out) override {
    // Per condition variable, its waits in source order (a header's inline function appears in
    // every unit that includes it: the set keeps one copy).
    auto order = [](const ConditionWaitFact* a, const ConditionWaitFact* b) {
      return std::tie(a->loc, a->mutex) < std::tie(b->loc, b->mutex);
    };
    std::map<std::string, std::set<const ConditionWaitFact*, decltype(order)>> byCondition;
    for (const TranslationUnitFacts& unit : *program.units)
      for (const ConditionWaitFact& w : unit.conditionWaits)
        byCondition.try_emplace(w.condition, order).first->second.insert(&w);

    for (const auto& [condition, waits] : byCondition) {
      const ConditionWaitFact* first = *waits.begin();
      std::set<std::string> reported{first->mutex};
      for (const ConditionWaitFact* w : waits) {
        if (!reported.insert(w->mutex).second)
          continue;
        Finding f;
        f.checkId = std::string(id());
        f.loc = w->loc;
        f.function = w->function;
        f.message = "condition variable " + quoted(shownName(condition)) + " is waited on with " +
                    describe(w->mutexText, w->mutex) + " here, but with " +
                    describe(first->mutexText, first->mutex) +
                    (first->function.empty() ? std::string() : " in " + quoted(first->function)) +
                    " at " + baseName(first->loc.file) + ":" + std::to_string(first->loc.line) +
                    "; all waiters of one condition variable must use the same mutex (POSIX "
                    "leaves mixing undefined), otherwise a notification can fall between another "
                    "waiter's test and its wait";
        Note here;
        here.loc = first->loc;
        here.message =
            quoted(first->conditionText) + " waited on with " + quoted(first->mutexText) + " here";
        f.notes.push_back(std::move(here));
        out.push_back(std::move(f));
      }
    }
  }
};

} // namespace

std::unique_ptr<AstCheck> createCvMixedMutexesCollector() {
  return std::make_unique<CvMixedMutexesCollector>();
}

std::unique_ptr<ProgramCheck> createCvMixedMutexesCheck() {
  return std::make_unique<CvMixedMutexesCheck>();
}

} // namespace threadcheck::checkers
