// cv-wait-no-predicate: a condition-variable wait returns on spurious wakeups and on notifications
// meant for someone else, and it waits forever when the notification came before it. Only a wait
// that re-tests the shared condition around itself is correct: a predicate overload, or a loop
// whose condition (or exit) reads shared state. This check reports the rest: waits outside any
// such loop, and waits guarded by an `if` where a `while` was meant.
#include "checks/Check.h"
#include "checks/SharedState.h"
#include "checks/SyncPrimitives.h"
#include "engine/ModelBuilder.h"
#include "engine/ThreadingApi.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <map>
#include <memory>

namespace threadcheck::checkers {
namespace {

using namespace clang;

bool isLoop(const Stmt* s) {
  return isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(s);
}

const Expr* loopCondition(const Stmt* loop) {
  if (const auto* w = dyn_cast<WhileStmt>(loop))
    return w->getCond();
  if (const auto* d = dyn_cast<DoStmt>(loop))
    return d->getCond();
  if (const auto* f = dyn_cast<ForStmt>(loop))
    return f->getCond();
  return nullptr;
}

const Stmt* loopBody(const Stmt* loop) {
  if (const auto* w = dyn_cast<WhileStmt>(loop))
    return w->getBody();
  if (const auto* d = dyn_cast<DoStmt>(loop))
    return d->getBody();
  if (const auto* f = dyn_cast<ForStmt>(loop))
    return f->getBody();
  if (const auto* r = dyn_cast<CXXForRangeStmt>(loop))
    return r->getBody();
  return nullptr;
}

// `child` runs on every iteration of `loop` (its body, condition or increment).
bool repeatsWith(const Stmt* loop, const Stmt* child) {
  if (child == loopBody(loop) || child == loopCondition(loop))
    return true;
  if (const auto* f = dyn_cast<ForStmt>(loop))
    return child == f->getInc() || child == f->getConditionVariableDeclStmt();
  if (const auto* w = dyn_cast<WhileStmt>(loop))
    return child == w->getConditionVariableDeclStmt();
  return false;
}

bool isJump(const Stmt* s) {
  if (!s)
    return false;
  if (isa<ReturnStmt, BreakStmt, ContinueStmt, GotoStmt, CoreturnStmt>(s))
    return true;
  if (const auto* e = dyn_cast<Expr>(s)) {
    e = e->IgnoreParenImpCasts();
    if (const auto* ewc = dyn_cast<ExprWithCleanups>(e))
      e = ewc->getSubExpr()->IgnoreParenImpCasts();
    if (isa<CXXThrowExpr>(e))
      return true;
    if (const auto* call = dyn_cast<CallExpr>(e))
      return api::isNoReturnCall(call);
  }
  return false;
}

// A branch that leaves the loop iteration after the wait (continue, break, return) sends control
// back to a re-test or out of the loop; one that falls through runs the code below the `if`.
bool branchEndsInJump(const Stmt* branch) {
  if (const auto* cs = dyn_cast_or_null<CompoundStmt>(branch))
    return !cs->body_empty() && isJump(cs->body_back());
  return isJump(branch);
}

// Does any exit of `loop` (a break of this loop, a return, a throw, a goto) happen only when a
// condition on shared state says so?
class ExitFinder {
public:
  ExitFinder(const sync::SharedStateOracle& oracle, const Stmt* loop)
      : oracle_(oracle), loop_(loop) {}

  bool found(const Stmt* s, bool guarded, int nesting) const {
    if (!s || isa<LambdaExpr>(s))
      return false;
    if (isa<BreakStmt>(s))
      return guarded && nesting == 0;
    if (isa<ReturnStmt, GotoStmt, CoreturnStmt>(s) || isJump(s))
      return guarded && !isa<ContinueStmt>(s);
    if (const auto* ifs = dyn_cast<IfStmt>(s)) {
      bool g = guarded || oracle_.readsShared(ifs->getCond(), loop_);
      return found(ifs->getThen(), g, nesting) || found(ifs->getElse(), g, nesting);
    }
    if (const auto* sw = dyn_cast<SwitchStmt>(s)) {
      bool g = guarded || oracle_.readsShared(sw->getCond(), loop_);
      return found(sw->getBody(), g, nesting + 1);
    }
    if (isLoop(s))
      return found(loopBody(s), guarded, nesting + 1);
    for (const Stmt* child : s->children())
      if (found(child, guarded, nesting))
        return true;
    return false;
  }

private:
  const sync::SharedStateOracle& oracle_;
  const Stmt* loop_;
};

bool loopRetestsShared(const Stmt* loop, const sync::SharedStateOracle& oracle) {
  if (isa<CXXForRangeStmt>(loop))
    return false;
  const Expr* cond = loopCondition(loop);
  if (!sync::isConstantTrue(cond) && oracle.readsShared(cond, loop))
    return true;
  return ExitFinder(oracle, loop).found(loopBody(loop), false, 0);
}

class Visitor : public RecursiveASTVisitor<Visitor> {
public:
  Visitor(ASTContext& ctx, std::vector<Finding>& out) : ctx_(ctx), out_(out) {}

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
    // A function or class declared inside a function body starts a context of its own.
    if (isa<FunctionDecl, RecordDecl>(d)) {
      std::vector<const Stmt*> saved;
      saved.swap(stack_);
      std::string savedFn = function_;
      if (const auto* fd = dyn_cast<FunctionDecl>(d))
        function_ = api::qualifiedName(fd);
      bool ok = RecursiveASTVisitor::TraverseDecl(d);
      stack_.swap(saved);
      function_ = savedFn;
      return ok;
    }
    return RecursiveASTVisitor::TraverseDecl(d);
  }

  // Keeping our own ancestor chain avoids building the parent map of the whole translation unit,
  // system headers included.
  bool TraverseStmt(Stmt* s) {
    if (!s)
      return true;
    stack_.push_back(s);
    bool ok = RecursiveASTVisitor::TraverseStmt(s);
    stack_.pop_back();
    return ok;
  }

  bool VisitCallExpr(CallExpr* call) {
    auto wait = sync::classifyCvWait(call);
    if (!wait || wait->hasPredicate || inSystem(call->getBeginLoc()))
      return true;
    check(call, *wait);
    return true;
  }

private:
  struct Guard {
    const IfStmt* ifs;
    const Stmt* branch;
    size_t index; // in stack_
  };

  bool inSystem(SourceLocation loc) const {
    const SourceManager& sm = ctx_.getSourceManager();
    return loc.isInvalid() || sm.isInSystemHeader(sm.getExpansionLoc(loc));
  }

  // The body of the function or lambda the statement at the top of the stack belongs to.
  const Stmt* scopeRoot() const {
    for (size_t i = stack_.size(); i-- > 0;)
      if (const auto* le = dyn_cast<LambdaExpr>(stack_[i]))
        return le->getBody();
    return stack_.empty() ? nullptr : stack_.front();
  }

  const sync::SharedStateOracle& oracleFor(const Stmt* root) {
    auto& slot = oracles_[root];
    if (!slot)
      slot = std::make_unique<sync::SharedStateOracle>(root);
    return *slot;
  }

  void check(const CallExpr* call, const sync::CvWait& wait) {
    const sync::SharedStateOracle& oracle = oracleFor(scopeRoot());
    std::vector<Guard> guards;
    const Stmt* plainLoop = nullptr;
    const Stmt* retestLoop = nullptr;
    size_t loopIndex = 0;
    const Stmt* child = call;
    for (size_t i = stack_.size() - 1; i-- > 0;) {
      const Stmt* p = stack_[i];
      if (isa<LambdaExpr>(p))
        break;
      if (isLoop(p) && repeatsWith(p, child)) {
        if (loopRetestsShared(p, oracle)) {
          retestLoop = p;
          loopIndex = i;
          break;
        }
        if (!plainLoop)
          plainLoop = p;
      }
      if (const auto* ifs = dyn_cast<IfStmt>(p);
          ifs && (child == ifs->getThen() || child == ifs->getElse()))
        guards.push_back({ifs, child, i});
      child = p;
    }

    std::string what = describe(call, wait);
    std::string fix = wait.api == sync::CvApi::Std || wait.api == sync::CvApi::StdAny
                          ? "pass the condition as a predicate ('" + sync::spelling(wait.cv, ctx_) +
                                "." + wait.spelling + "(" + sync::spelling(wait.lock, ctx_) +
                                (wait.timed ? ", <timeout>" : "") +
                                ", [&] { return <condition>; })') or wait in a loop that re-tests "
                                "the condition"
                          : "wait in a loop that re-tests the condition ('while (!<condition>) " +
                                wait.spelling + "(...);')";

    if (retestLoop) {
      // Inside a good loop, an `if` around the wait still lets the code below it run after a
      // spurious wakeup, unless the next thing it does is test the shared state again.
      for (const Guard& g : guards) {
        if (!oracle.readsShared(g.ifs->getCond(), retestLoop) || branchEndsInJump(g.branch))
          continue;
        if (!runsMoreBeforeRetest(g.index, loopIndex, oracle, retestLoop))
          continue;
        report(call, what + " is guarded by 'if (" + sync::spelling(g.ifs->getCond(), ctx_) +
                         ")' instead of a loop: after a spurious wakeup the code below the 'if' "
                         "runs although the condition may still hold; use 'while' instead of "
                         "'if', or " +
                         fix);
        return;
      }
      return;
    }

    std::string why;
    if (plainLoop) {
      why = " is inside a loop that never re-tests shared state";
      if (const Expr* cond = loopCondition(plainLoop); cond && !sync::isConstantTrue(cond))
        why += " (it only tests '" + sync::spelling(cond, ctx_) + "')";
    } else if (const Guard* g = firstSharedGuard(guards, oracle)) {
      why =
          " is guarded by 'if (" + sync::spelling(g->ifs->getCond(), ctx_) + ")' instead of a loop";
    } else {
      why = " is not inside a loop that re-tests the condition";
    }
    std::string effect = wait.timed
                             ? ": it returns on a spurious wakeup as if notified (and a timeout "
                               "alone does not say whether the condition holds), and it misses a "
                               "notification sent before it started; "
                             : ": it returns on a spurious wakeup or a notification meant for "
                               "another waiter while the condition still does not hold, and it "
                               "waits forever if the notification came before it started; ";
    report(call, what + " without a predicate" + why + effect + fix);
  }

  // Between the `if` at stack_[ifIndex] and the loop at stack_[loopIndex], is there a statement
  // after the `if` that runs in the same iteration and is not itself a re-test?
  bool runsMoreBeforeRetest(size_t ifIndex, size_t loopIndex, const sync::SharedStateOracle& oracle,
                            const Stmt* loop) const {
    for (size_t j = ifIndex; j-- > loopIndex + 1;) {
      const auto* cs = dyn_cast<CompoundStmt>(stack_[j]);
      if (!cs)
        continue;
      const Stmt* child = stack_[j + 1];
      bool after = false;
      for (const Stmt* s : cs->body()) {
        if (s == child) {
          after = true;
          continue;
        }
        if (!after || isa<NullStmt>(s))
          continue;
        const Expr* cond = nullptr;
        if (const auto* ifs = dyn_cast<IfStmt>(s))
          cond = ifs->getCond();
        else if (const auto* sw = dyn_cast<SwitchStmt>(s))
          cond = sw->getCond();
        else if (isLoop(s))
          cond = loopCondition(s);
        return !(cond && oracle.readsShared(cond, loop));
      }
    }
    return false;
  }

  static const Guard* firstSharedGuard(const std::vector<Guard>& guards,
                                       const sync::SharedStateOracle& oracle) {
    for (const Guard& g : guards)
      if (oracle.readsShared(g.ifs->getCond(), nullptr))
        return &g;
    return nullptr;
  }

  std::string describe(const CallExpr* call, const sync::CvWait& wait) const {
    if (wait.api == sync::CvApi::Std || wait.api == sync::CvApi::StdAny)
      return quoted(sync::spelling(wait.cv, ctx_) + "." + wait.spelling);
    (void)call;
    return quoted(wait.spelling);
  }

  void report(const CallExpr* call, std::string message) {
    Finding f;
    f.checkId = "cv-wait-no-predicate";
    f.loc = model::toLocation(toModelLoc(ctx_, call->getBeginLoc()));
    f.message = std::move(message);
    f.function = function_;
    out_.push_back(std::move(f));
  }

  ASTContext& ctx_;
  std::vector<Finding>& out_;
  std::vector<const Stmt*> stack_;
  std::string function_;
  std::map<const Stmt*, std::unique_ptr<sync::SharedStateOracle>> oracles_;
};

class CvWaitNoPredicateCheck : public AstCheck {
public:
  std::string_view id() const override { return "cv-wait-no-predicate"; }
  void check(ASTContext& ctx, std::vector<Finding>& out) const override {
    Visitor(ctx, out).TraverseDecl(ctx.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<AstCheck> createCvWaitNoPredicateCheck() {
  return std::make_unique<CvWaitNoPredicateCheck>();
}

} // namespace threadcheck::checkers
