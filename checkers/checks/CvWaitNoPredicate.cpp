// cv-wait-no-predicate: a condition-variable wait returns on spurious wakeups and on notifications
// meant for someone else, and it waits forever when the notification came before it. Only a wait
// that re-tests the shared condition around itself is correct: a predicate overload, or a loop
// whose condition (or exit) reads shared state. This check reports the rest: waits outside any
// such loop, and waits guarded by an `if` where a `while` was meant. Where that `if` evidently
// states the whole condition waited for, a fix turns it into the loop (or, for a timed wait, into
// the wait's predicate).
#include "checks/Check.h"
#include "checks/FixSupport.h"
#include "checks/SharedState.h"
#include "checks/SyncPrimitives.h"
#include "engine/ModelBuilder.h"
#include "engine/ThreadingApi.h"

#include <algorithm>
#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <map>
#include <memory>
#include <set>
#include <tuple>

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
        function_ = api::findingFunctionName(fd);
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
    std::optional<Fix> loopFix;
    if (plainLoop) {
      why = " is inside a loop that never re-tests shared state";
      if (const Expr* cond = loopCondition(plainLoop); cond && !sync::isConstantTrue(cond))
        why += " (it only tests '" + sync::spelling(cond, ctx_) + "')";
    } else if (const Guard* g = firstSharedGuard(guards, oracle)) {
      why =
          " is guarded by 'if (" + sync::spelling(g->ifs->getCond(), ctx_) + ")' instead of a loop";
      loopFix = evidentLoopFix(call, wait, *g);
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
    report(call, what + " without a predicate" + why + effect + fix, std::move(loopFix));
  }

  // The fix for `if (C) WAIT;` (or `if (C) { ...; WAIT; }`) outside any loop, when C is evidently
  // everything the wait is for: `if` becomes `while`, so C is re-tested after every wakeup and
  // nothing else changes. A timed wait becomes the predicate overload instead, since in a loop it
  // would wait again after its timeout and never give up. No fix where C or the statements that
  // would repeat can change anything when evaluated again, or where the code after the `if`
  // re-tests C itself (it expects the wait to return while C still holds: a shutdown, a cancel).
  std::optional<Fix> evidentLoopFix(const CallExpr* call, const sync::CvWait& wait,
                                    const Guard& g) {
    const IfStmt* ifs = g.ifs;
    if (g.branch != ifs->getThen() || ifs->getElse() || ifs->getInit() ||
        ifs->getConditionVariable() || ifs->isConstexpr() || ifs->isConsteval() ||
        g.index + 1 >= stack_.size())
      return std::nullopt;
    const Stmt* waitStmt = g.branch;
    const auto* block = dyn_cast<CompoundStmt>(g.branch);
    if (block) {
      if (block->body_empty() || g.index + 2 >= stack_.size() ||
          stack_[g.index + 2] != block->body_back())
        return std::nullopt;
      waitStmt = block->body_back();
      for (const Stmt* s : block->body())
        if (s != waitStmt && !repeatable(s))
          return std::nullopt;
    }
    if (!isWholeStatement(waitStmt, call) || !fixes::evaluatesWithoutEffects(ifs->getCond()) ||
        nextStatementRetests(g))
      return std::nullopt;
    if (!wait.timed)
      return ifToWhile(ifs);
    if (wait.api == sync::CvApi::Std || wait.api == sync::CvApi::StdAny)
      return ifToPredicate(call, wait, ifs, waitStmt, block);
    // pthread_cond_timedwait and cnd_timedwait have no predicate form, and a loop must stop on
    // their timeout result, which means a new variable: left to the reader.
    return std::nullopt;
  }

  // A statement of the `if` body before the wait that may run once per wakeup: an expression or
  // the declaration of a plain local, without effects.
  static bool repeatable(const Stmt* s) {
    if (isa<NullStmt>(s))
      return true;
    if (const auto* e = dyn_cast<Expr>(s))
      return fixes::evaluatesWithoutEffects(e);
    const auto* ds = dyn_cast<DeclStmt>(s);
    if (!ds)
      return false;
    for (const Decl* d : ds->decls()) {
      const auto* vd = dyn_cast<VarDecl>(d);
      if (!vd || !vd->hasLocalStorage() || vd->getType()->isReferenceType() ||
          !vd->getType().isTriviallyCopyableType(vd->getASTContext()) ||
          !fixes::evaluatesWithoutEffects(vd->getInit()))
        return false;
    }
    return true;
  }

  // `s` is the wait call as a statement of its own, its result discarded.
  static bool isWholeStatement(const Stmt* s, const CallExpr* call) {
    const auto* e = dyn_cast<Expr>(s);
    while (e && e != call) {
      if (const auto* ewc = dyn_cast<ExprWithCleanups>(e))
        e = ewc->getSubExpr();
      else if (const auto* cast = dyn_cast<ExplicitCastExpr>(e);
               cast && cast->getType()->isVoidType())
        e = cast->getSubExpr();
      else if (isa<ParenExpr, ImplicitCastExpr>(e))
        e = e->IgnoreParenImpCasts();
      else
        return false;
    }
    return e == call;
  }

  // Does the statement after the `if` test what the `if` tested (`if (q.empty()) return -1;`,
  // `return ready;`)? Then a wakeup without the condition is expected, not a bug to loop over.
  bool nextStatementRetests(const Guard& g) const {
    const auto* parent = g.index > 0 ? dyn_cast<CompoundStmt>(stack_[g.index - 1]) : nullptr;
    if (!parent)
      return false;
    const auto* it = std::find(parent->body_begin(), parent->body_end(), g.ifs);
    while (it != parent->body_end() && (*it == g.ifs || isa<NullStmt>(*it)))
      ++it;
    if (it == parent->body_end())
      return false;
    const Stmt* next = *it;
    const Expr* test = nullptr;
    if (const auto* ifs = dyn_cast<IfStmt>(next))
      test = ifs->getCond();
    else if (const auto* sw = dyn_cast<SwitchStmt>(next))
      test = sw->getCond();
    else if (const auto* rs = dyn_cast<ReturnStmt>(next))
      test = rs->getRetValue();
    else if (isLoop(next))
      test = loopCondition(next);
    if (!test)
      return false;
    std::vector<const ValueDecl*> tested;
    collectReferenced(g.ifs->getCond(), tested);
    for (const ValueDecl* d : tested)
      if (fixes::mentions(test, d))
        return true;
    return false;
  }

  static void collectReferenced(const Stmt* s, std::vector<const ValueDecl*>& out) {
    if (!s)
      return;
    if (const auto* dre = dyn_cast<DeclRefExpr>(s))
      out.push_back(dre->getDecl());
    else if (const auto* me = dyn_cast<MemberExpr>(s))
      out.push_back(me->getMemberDecl());
    for (const Stmt* child : s->children())
      collectReferenced(child, out);
  }

  std::optional<Fix> ifToWhile(const IfStmt* ifs) {
    SourceLocation ifLoc = ifs->getIfLoc();
    if (fixes::text(ctx_, ifLoc, fixes::endOfToken(ctx_, ifLoc)) != "if")
      return std::nullopt;
    std::optional<Replacement> r =
        fixes::replace(ctx_, CharSourceRange::getTokenRange(ifLoc, ifLoc), "while");
    if (!r)
      return std::nullopt;
    return Fix{"turn the 'if' into a 'while', which re-tests the condition after every wakeup",
               {std::move(*r)}};
  }

  // `if (C) cv.wait_for(lk, d);` becomes `cv.wait_for(lk, d, [&] { return !C; });`: the
  // predicate overload waits only while the condition holds, re-tests it after each wakeup, and
  // still gives up at the timeout. Only where the `if` is nothing but its keyword, condition and
  // braces, so that no comment or statement goes with it.
  std::optional<Fix> ifToPredicate(const CallExpr* call, const sync::CvWait& wait,
                                   const IfStmt* ifs, const Stmt* waitStmt,
                                   const CompoundStmt* block) {
    if (block && block->size() != 1)
      return std::nullopt;
    // Before C++20 a lambda cannot capture a structured binding.
    if (!ctx_.getLangOpts().CPlusPlus20 && mentionsBinding(ifs->getCond()))
      return std::nullopt;
    const auto* memberCall = dyn_cast<CXXMemberCallExpr>(call);
    SourceLocation lparen = ifs->getLParenLoc(), rparen = ifs->getRParenLoc();
    std::optional<std::string> keyword = fixes::text(ctx_, ifs->getIfLoc(), lparen);
    std::optional<std::string> cond = fixes::text(ctx_, fixes::endOfToken(ctx_, lparen), rparen);
    std::optional<std::string> opening =
        fixes::text(ctx_, fixes::endOfToken(ctx_, rparen), waitStmt->getBeginLoc());
    std::optional<SourceLocation> semi = fixes::semicolonAfter(ctx_, waitStmt->getEndLoc());
    if (!memberCall || !keyword || llvm::StringRef(*keyword).rtrim() != "if" || !cond || !opening ||
        !semi)
      return std::nullopt;
    llvm::StringRef open = llvm::StringRef(*opening).trim();
    if (open != (block ? "{" : ""))
      return std::nullopt;
    std::vector<Replacement> rs;
    auto add = [&](SourceLocation b, SourceLocation e, std::string text) {
      if (std::optional<Replacement> r =
              fixes::replace(ctx_, CharSourceRange::getCharRange(b, e), std::move(text)))
        rs.push_back(std::move(*r));
    };
    add(ifs->getIfLoc(), waitStmt->getBeginLoc(), "");
    add(call->getRParenLoc(), call->getRParenLoc(),
        ", [&] { return " + negated(ifs->getCond(), llvm::StringRef(*cond).trim()) + "; }");
    if (block) {
      // The closing brace goes; a comment after the wait stays with it.
      SourceLocation afterSemi = fixes::endOfToken(ctx_, *semi);
      std::optional<std::string> closing = fixes::text(ctx_, afterSemi, block->getRBracLoc());
      if (!closing)
        return std::nullopt;
      llvm::StringRef rest(*closing);
      size_t from = rest.trim().empty() ? 0 : rest.rfind('\n');
      if (from == llvm::StringRef::npos || !rest.substr(from).trim().empty())
        return std::nullopt;
      add(afterSemi.getLocWithOffset(from), fixes::endOfToken(ctx_, block->getRBracLoc()), "");
    }
    if (rs.size() != (block ? 3u : 2u))
      return std::nullopt;
    return Fix{"pass the condition to '" + sync::spelling(wait.cv, ctx_) + "." + wait.spelling +
                   "' as a predicate in place of the 'if', which re-tests it after every wakeup "
                   "and still stops at the timeout",
               std::move(rs)};
  }

  // The opposite of `cond`, spelled `condText`, as the predicate's return value: `!ready` gives
  // `ready`, `q.empty()` gives `!q.empty()`, anything else `!(...)`.
  std::string negated(const Expr* cond, llvm::StringRef condText) {
    const Expr* c = cond->IgnoreParenImpCasts();
    if (const auto* uo = dyn_cast<UnaryOperator>(c); uo && uo->getOpcode() == UO_LNot) {
      const Expr* sub = uo->getSubExpr();
      if (sub->IgnoreUnlessSpelledInSource()->getType()->isBooleanType())
        if (std::optional<std::string> t =
                fixes::text(ctx_, sub->getBeginLoc(), fixes::endOfToken(ctx_, sub->getEndLoc())))
          return *t;
    }
    if (isa<DeclRefExpr, MemberExpr, CallExpr, ParenExpr>(c))
      return "!" + condText.str();
    return "!(" + condText.str() + ")";
  }

  static bool mentionsBinding(const Stmt* s) {
    if (!s)
      return false;
    if (const auto* dre = dyn_cast<DeclRefExpr>(s); dre && isa<BindingDecl>(dre->getDecl()))
      return true;
    for (const Stmt* child : s->children())
      if (mentionsBinding(child))
        return true;
    return false;
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

  void report(const CallExpr* call, std::string message, std::optional<Fix> fix = std::nullopt) {
    Finding f;
    f.checkId = "cv-wait-no-predicate";
    f.loc = model::toLocation(toModelLoc(ctx_, call->getBeginLoc()));
    f.message = std::move(message);
    f.function = function_;
    f.fix = std::move(fix);
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
    size_t first = out.size();
    Visitor(ctx, out).TraverseDecl(ctx.getTranslationUnitDecl());
    keepOnlyAgreedFixes(out, first);
  }

private:
  // A template's wait is reported from its pattern and from each instantiation, and only one of
  // those findings survives deduplication. A fix is kept only where all of them computed the same
  // one (a condition that depends on a template parameter has none in the pattern).
  static void keepOnlyAgreedFixes(std::vector<Finding>& out, size_t first) {
    std::map<std::tuple<Location, std::string>, const Finding*> seen;
    std::set<std::tuple<Location, std::string>> conflicting;
    for (size_t i = first; i < out.size(); ++i) {
      auto key = std::make_tuple(out[i].loc, out[i].message);
      auto [it, inserted] = seen.try_emplace(key, &out[i]);
      if (!inserted && it->second->fix != out[i].fix)
        conflicting.insert(std::move(key));
    }
    for (size_t i = first; i < out.size(); ++i)
      if (conflicting.count(std::make_tuple(out[i].loc, out[i].message)))
        out[i].fix.reset();
  }
};

} // namespace

std::unique_ptr<AstCheck> createCvWaitNoPredicateCheck() {
  return std::make_unique<CvWaitNoPredicateCheck>();
}

} // namespace threadcheck::checkers
