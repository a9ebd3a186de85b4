// cv-wait-no-predicate: a condition-variable wait returns on spurious wakeups and on notifications
// meant for someone else, and it waits forever when the notification came before it. Only a wait
// that re-tests the shared condition around itself is correct: a predicate overload, or a loop
// whose condition (or exit) reads shared state. This check reports the rest: waits outside any
// such loop, and waits guarded by an `if` where a `while` was meant. Where that `if` evidently
// states the whole condition waited for, a fix turns it into the loop (or, for a timed wait, into
// the wait's predicate). A function that only waits, on a condition variable its caller hands it
// (through an argument or the object), with the caller's lock, leaves the re-test to its callers
// (leveldb's port::CondVar::Wait, libuv's uv_cond_wait): such a wait is judged at each call of the
// function instead, in whichever translation unit the call is.
#include "checks/Check.h"
#include "checks/FixSupport.h"
#include "checks/SharedState.h"
#include "checks/SyncPrimitives.h"
#include "engine/ModelBuilder.h"
#include "engine/ThreadingApi.h"
#include "threadcheck/checkers/Facts.h"

#include <algorithm>
#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Index/USRGeneration.h>
#include <llvm/ADT/SmallString.h>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>

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

// `for (;;)`, `while (1)`, `do ... while (true)`: left only by a jump.
bool neverEnds(const Stmt* loop) {
  return !isa<CXXForRangeStmt>(loop) && sync::isConstantTrue(loopCondition(loop));
}

bool loopRetestsShared(const Stmt* loop, const sync::SharedStateOracle& oracle) {
  if (isa<CXXForRangeStmt>(loop))
    return false;
  const Expr* cond = loopCondition(loop);
  if (!sync::isConstantTrue(cond) && oracle.readsShared(cond, loop))
    return true;
  return ExitFinder(oracle, loop).found(loopBody(loop), false, 0);
}

std::string usrOf(const Decl* d) {
  llvm::SmallString<128> buf;
  if (index::generateUSRForDecl(d, buf))
    return {};
  return std::string(buf);
}

// Whether a value of `type` is, or holds (in a member, through a pointer member, in a base), a
// condition variable: what a function must be able to reach to wait on one for its caller.
class CvReach {
public:
  bool holds(QualType type, int depth = 3) {
    type = type.getNonReferenceType();
    while (!type.isNull() && (type->isPointerType() || type->isArrayType()))
      type = type->isPointerType() ? type->getPointeeType()
                                   : QualType(type->getPointeeOrArrayElementType(), 0);
    if (type.isNull())
      return false;
    const auto* rd = type->getAsRecordDecl();
    if (!rd)
      return false;
    rd = rd->getDefinition() ? rd->getDefinition() : rd;
    auto [it, inserted] = cache_.try_emplace(rd, false);
    if (!inserted)
      return it->second; // also ends a type that holds itself through a pointer
    bool result = isCondition(rd);
    if (!result && depth > 0 && rd->isCompleteDefinition()) {
      for (const FieldDecl* field : rd->fields())
        if ((result = holds(field->getType(), depth - 1)))
          break;
      if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd); !result && cxx && cxx->hasDefinition())
        for (const CXXBaseSpecifier& base : cxx->bases())
          if ((result = holds(base.getType(), depth - 1)))
            break;
    }
    cache_[rd] = result;
    return result;
  }

  // A function that could wait on a condition variable its caller reaches: one of its parameters,
  // or its object, holds one.
  bool reachedBy(const FunctionDecl* fd) {
    if (const auto* md = dyn_cast<CXXMethodDecl>(fd);
        md && md->isInstance() && holds(QualType(md->getParent()->getTypeForDecl(), 0)))
      return true;
    for (const ParmVarDecl* p : fd->parameters())
      if (holds(p->getType()))
        return true;
    return false;
  }

private:
  static bool isCondition(const RecordDecl* rd) {
    if (const auto* cxx = dyn_cast<CXXRecordDecl>(rd);
        cxx && (sync::isStdRecord(cxx, "condition_variable") ||
                sync::isStdRecord(cxx, "condition_variable_any")))
      return true;
    // pthread_cond_t and cnd_t are typedefs of anonymous unions.
    const TypedefNameDecl* name = rd->getTypedefNameForAnonDecl();
    llvm::StringRef n = name ? name->getName() : rd->getName();
    return n == "pthread_cond_t" || n == "cnd_t";
  }

  std::unordered_map<const RecordDecl*, bool> cache_;
};

// Is `vd` assigned in `s`, or its address taken (so that something else may assign it)?
bool rebound(const Stmt* s, const VarDecl* vd) {
  if (!s)
    return false;
  auto names = [&](const Expr* e) {
    const auto* dre = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
    return dre && dre->getDecl() == vd;
  };
  if (const auto* bo = dyn_cast<BinaryOperator>(s);
      bo && bo->isAssignmentOp() && names(bo->getLHS()))
    return true;
  if (const auto* uo = dyn_cast<UnaryOperator>(s);
      uo && (uo->getOpcode() == UO_AddrOf || uo->isIncrementDecrementOp()) &&
      names(uo->getSubExpr()))
    return true;
  for (const Stmt* child : s->children())
    if (rebound(child, vd))
      return true;
  return false;
}

// `e` designates something the caller handed in: a parameter, or the object (`cv_`, `&q->cv`,
// `p->impl->cond`), also through a local pointer initialised from one (`pthread_cond_t* cond =
// cond_;` for a `void*` parameter, libevent's evthread_posix_cond_wait) and never assigned.
bool reachesFromOutside(const Expr* e, const Stmt* body) {
  for (int hops = 0; e && hops < 16; ++hops) {
    e = e->IgnoreParenCasts();
    if (isa<CXXThisExpr>(e))
      return true;
    if (const auto* dre = dyn_cast<DeclRefExpr>(e)) {
      if (isa<ParmVarDecl>(dre->getDecl()))
        return true;
      const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
      if (!vd || !vd->isLocalVarDecl() ||
          !(vd->getType()->isPointerType() || vd->getType()->isReferenceType()) || !vd->getInit() ||
          rebound(body, vd))
        return false;
      e = vd->getInit();
      continue;
    }
    if (const auto* me = dyn_cast<MemberExpr>(e))
      e = me->getBase();
    else if (const auto* uo = dyn_cast<UnaryOperator>(e);
             uo && (uo->getOpcode() == UO_AddrOf || uo->getOpcode() == UO_Deref))
      e = uo->getSubExpr();
    else if (const auto* sub = dyn_cast<ArraySubscriptExpr>(e))
      e = sub->getBase();
    else if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e);
             op && (op->getOperator() == OO_Arrow || op->getOperator() == OO_Star) &&
             op->getNumArgs() >= 1)
      e = op->getArg(0);
    else
      return false;
  }
  return false;
}

// Does `fn` take a lock itself (a lock call, std::lock, a guard constructed locking)? Then the
// condition belongs to its own critical section, and it must re-test it itself.
class LockTaking : public RecursiveASTVisitor<LockTaking> {
public:
  static bool in(const FunctionDecl* fn) {
    LockTaking v;
    if (const Stmt* body = fn->getBody())
      v.TraverseStmt(const_cast<Stmt*>(body));
    return v.found_;
  }

  bool TraverseLambdaExpr(LambdaExpr*) { return true; }

  bool VisitCallExpr(CallExpr* call) {
    if (std::optional<api::PrimitiveCall> p = api::classifyPrimitive(call))
      found_ |= p->op == api::PrimitiveOp::Lock || p->op == api::PrimitiveOp::LockShared ||
                p->op == api::PrimitiveOp::TryLock || p->op == api::PrimitiveOp::TryLockShared;
    found_ |= api::classifyMultiLock(call) != api::MultiLock::None;
    return !found_;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* ctor) {
    if (api::guardKind(ctor->getType()) == api::GuardKind::None || ctor->getNumArgs() == 0)
      return true;
    for (const Expr* arg : ctor->arguments()) {
      api::GuardTag tag = api::guardTag(arg->getType());
      if (tag == api::GuardTag::Defer || tag == api::GuardTag::Adopt)
        return true;
    }
    // A guard moved or copied from another takes nothing.
    if (ctor->getConstructor() && ctor->getConstructor()->isCopyOrMoveConstructor())
      return true;
    found_ = true;
    return false;
  }

private:
  bool found_ = false;
};

// Does `fn` give up a lock its caller handed it as a parameter: unlock it (`lk.unlock()` on a
// `Lockable&`, `pthread_mutex_unlock(m)` on a `pthread_mutex_t*`) before any lock of it in the
// source? A wait that gives up its caller's lock is a wait for its caller, whatever lock it takes
// to hand itself over to the condition variable (condition_variable_any's implementations,
// boost's included): its callers re-test. A function that locks its parameter, waits and unlocks
// it owns that critical section itself.
class HandedUnlock : public RecursiveASTVisitor<HandedUnlock> {
public:
  static bool in(const FunctionDecl* fn, const SourceManager& sm) {
    HandedUnlock v(sm);
    if (const Stmt* body = fn->getBody())
      v.TraverseStmt(const_cast<Stmt*>(body));
    for (const auto& [param, unlockAt] : v.firstUnlock_) {
      auto l = v.firstLock_.find(param);
      if (l == v.firstLock_.end() || sm.isBeforeInTranslationUnit(unlockAt, l->second))
        return true;
    }
    return false;
  }

  bool TraverseLambdaExpr(LambdaExpr*) { return true; }

  bool VisitCallExpr(CallExpr* call) {
    const Expr* target = nullptr;
    bool unlock = false;
    if (std::optional<api::PrimitiveCall> p = api::classifyPrimitive(call)) {
      unlock = p->op == api::PrimitiveOp::Unlock || p->op == api::PrimitiveOp::UnlockShared;
      if (unlock || p->op == api::PrimitiveOp::Lock || p->op == api::PrimitiveOp::LockShared ||
          p->op == api::PrimitiveOp::TryLock || p->op == api::PrimitiveOp::TryLockShared)
        target = p->object ? p->object : p->pointer;
    } else if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
      const CXXMethodDecl* md = mc->getMethodDecl();
      if (md && md->getIdentifier() && isLockName(md->getName(), unlock))
        target = mc->getImplicitObjectArgument();
    } else if (const auto* dm =
                   dyn_cast<CXXDependentScopeMemberExpr>(call->getCallee()->IgnoreParens())) {
      // In a template, `lk.unlock()` on a parameter of the template's lockable type.
      if (!dm->isImplicitAccess() && isLockName(dm->getMember().getAsString(), unlock))
        target = dm->getBase();
    }
    if (const ParmVarDecl* param = target ? parameter(target) : nullptr) {
      auto& first = unlock ? firstUnlock_ : firstLock_;
      auto [it, fresh] = first.try_emplace(param, call->getBeginLoc());
      if (!fresh && sm_.isBeforeInTranslationUnit(call->getBeginLoc(), it->second))
        it->second = call->getBeginLoc();
    }
    return true;
  }

private:
  explicit HandedUnlock(const SourceManager& sm) : sm_(sm) {}

  static bool isLockName(llvm::StringRef name, bool& unlock) {
    unlock = name == "unlock";
    return unlock || name == "lock" || name == "try_lock";
  }

  static const ParmVarDecl* parameter(const Expr* e) {
    e = e->IgnoreParenImpCasts();
    if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_Deref)
      e = uo->getSubExpr()->IgnoreParenImpCasts();
    const auto* dre = dyn_cast<DeclRefExpr>(e);
    return dre ? dyn_cast<ParmVarDecl>(dre->getDecl()) : nullptr;
  }

  const SourceManager& sm_;
  std::map<const ParmVarDecl*, SourceLocation> firstLock_, firstUnlock_;
};

class Visitor : public RecursiveASTVisitor<Visitor> {
public:
  Visitor(ASTContext& ctx, TranslationUnitFacts& unit)
      : ctx_(ctx), out_(unit.localFindings), unit_(unit) {}

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
      const FunctionDecl* savedDecl = fn_;
      fn_ = dyn_cast<FunctionDecl>(d);
      if (fn_)
        function_ = api::findingFunctionName(fn_);
      bool ok = RecursiveASTVisitor::TraverseDecl(d);
      stack_.swap(saved);
      function_ = savedFn;
      fn_ = savedDecl;
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
    if (inSystem(call->getBeginLoc()))
      return true;
    if (auto wait = sync::classifyCvWait(call)) {
      if (!wait->hasPredicate)
        checkWait(call, *wait);
      return true;
    }
    if (const FunctionDecl* callee = call->getDirectCallee();
        callee && !inSystem(callee->getLocation()) && handsCondition(call, callee))
      recordCall(call, callee);
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

  // What the code around a wait (or a call of a wait wrapper) does about the condition.
  struct Verdict {
    bool good = true;
    bool guardedInLoop = false; // an `if` around it inside a loop that re-tests
    bool bare = false;          // no `if` that tests shared state, no loop that re-tests
    std::string why;            // what the message says of it
    std::optional<Fix> fix;
  };

  void checkWait(const CallExpr* call, const sync::CvWait& wait) {
    std::string what = describe(call, wait);
    std::string fix = wait.api == sync::CvApi::Std || wait.api == sync::CvApi::StdAny
                          ? "pass the condition as a predicate ('" + sync::spelling(wait.cv, ctx_) +
                                "." + wait.spelling + "(" + sync::spelling(wait.lock, ctx_) +
                                (wait.timed ? ", <timeout>" : "") +
                                ", [&] { return <condition>; })') or wait in a loop that re-tests "
                                "the condition"
                          : "wait in a loop that re-tests the condition ('while (!<condition>) " +
                                wait.spelling + "(...);')";
    Verdict v = judge(call, wait);
    if (v.good)
      return;
    if (v.bare && leavesRetestToCallers({wait.cv})) {
      unit_.waitWrappers.push_back({usrOf(fn_->getCanonicalDecl()), function_,
                                    model::toLocation(toModelLoc(ctx_, call->getBeginLoc())), what,
                                    wait.timed});
      return;
    }
    if (v.guardedInLoop) {
      report(call, what + v.why + fix);
      return;
    }
    report(call, what + " without a predicate" + v.why + effectOf(wait.timed) + fix,
           std::move(v.fix));
  }

  // A call of a function that reaches a condition variable of the caller's: if the function turns
  // out to be a wait wrapper, the program check judges the call as a wait.
  void recordCall(const CallExpr* call, const FunctionDecl* callee) {
    sync::CvWait plain;
    plain.api = sync::CvApi::Pthread;
    plain.timed = false;
    Verdict v = judge(call, plain);
    WaitCallFact fact;
    fact.callee = usrOf(callee->getCanonicalDecl());
    if (fact.callee.empty())
      return;
    fact.calleeText = calleeSpelling(call, callee);
    fact.loc = model::toLocation(toModelLoc(ctx_, call->getBeginLoc()));
    fact.function = function_;
    if (!v.good) {
      std::vector<const Expr*> handed;
      if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call))
        handed.push_back(mc->getImplicitObjectArgument());
      for (const Expr* arg : call->arguments())
        handed.push_back(arg);
      if (v.bare && leavesRetestToCallers(handed)) {
        fact.deferTo = usrOf(fn_->getCanonicalDecl());
        fact.deferName = function_;
      }
      fact.why = v.why;
      fact.guardedInLoop = v.guardedInLoop;
      fact.fix = std::move(v.fix);
    }
    unit_.waitCalls.push_back(std::move(fact));
  }

  // The callee can reach a condition variable of the caller's: its parameters or its object hold
  // one, or the caller passes one where it takes a `void*` (libevent's cond_wait callbacks).
  bool handsCondition(const CallExpr* call, const FunctionDecl* callee) {
    if (cvReach_.reachedBy(callee))
      return true;
    for (const Expr* arg : call->arguments())
      if (arg->getType()->isVoidPointerType() &&
          cvReach_.holds(arg->IgnoreParenImpCasts()->getType()))
        return true;
    return false;
  }

  std::string calleeSpelling(const CallExpr* call, const FunctionDecl* callee) const {
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call))
      if (const auto* me = dyn_cast<MemberExpr>(mc->getCallee()->IgnoreParenImpCasts());
          me && !me->isImplicitAccess())
        return sync::spelling(me->getBase(), ctx_) + (me->isArrow() ? "->" : ".") +
               callee->getNameAsString();
    return callee->getNameAsString();
  }

  // The function the wait is in only waits for its caller: it is a function (not a lambda, which
  // runs where it is written), the condition variable (or its holder) came from the caller, and
  // it takes no lock itself, so the lock the wait releases is the caller's; or it gives up a lock
  // the caller handed it while it waits, whatever condition variable it waits on.
  bool leavesRetestToCallers(const std::vector<const Expr*>& handed) {
    if (!fn_ || !fn_->getBody() || stack_.empty() || scopeRoot() != stack_.front() || fn_->isMain())
      return false;
    auto [it, inserted] = lockUse_.try_emplace(fn_);
    if (inserted)
      it->second = {LockTaking::in(fn_), HandedUnlock::in(fn_, ctx_.getSourceManager())};
    const auto [takesLocks, givesUpCallersLock] = it->second;
    if (givesUpCallersLock)
      return true;
    if (std::none_of(handed.begin(), handed.end(),
                     [&](const Expr* e) { return e && reachesFromOutside(e, fn_->getBody()); }))
      return false;
    return !takesLocks;
  }

  static std::string effectOf(bool timed) {
    return timed ? ": it returns on a spurious wakeup as if notified (and a timeout alone does not "
                   "say whether the condition holds), and it misses a notification sent before it "
                   "started; "
                 : ": it returns on a spurious wakeup or a notification meant for another waiter "
                   "while the condition still does not hold, and it waits forever if the "
                   "notification came before it started; ";
  }

  Verdict judge(const CallExpr* call, const sync::CvWait& wait) {
    const sync::SharedStateOracle& oracle = oracleFor(scopeRoot());
    std::vector<Guard> guards;
    const Stmt* plainLoop = nullptr;
    const Stmt* retestLoop = nullptr;
    const Stmt* endlessLoop = nullptr;
    size_t loopIndex = 0, endlessIndex = 0;
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
        if (!endlessLoop && neverEnds(p)) {
          endlessLoop = p;
          endlessIndex = i;
        }
      }
      if (const auto* ifs = dyn_cast<IfStmt>(p);
          ifs && (child == ifs->getThen() || child == ifs->getElse()))
        guards.push_back({ifs, child, i});
      child = p;
    }

    Verdict v;
    // An `if` on shared state around the wait, inside `loop` (at stack_[index]), lets the code
    // below it run after a spurious wakeup, unless the next thing it does is test the shared
    // state again. `retested`: there is such an `if`.
    // `sameState`: the re-test must read what the `if` reads.
    auto guardedInLoop = [&](const Stmt* loop, size_t index, bool& retested, bool sameState) {
      for (const Guard& g : guards) {
        if (g.index < index || !oracle.readsShared(g.ifs->getCond(), loop))
          continue;
        retested = true;
        if (branchEndsInJump(g.branch) ||
            !runsMoreBeforeRetest(g.index, index, oracle, loop,
                                  sameState ? g.ifs->getCond() : nullptr))
          continue;
        v.good = false;
        v.guardedInLoop = true;
        v.why = " is guarded by 'if (" + sync::spelling(g.ifs->getCond(), ctx_) +
                ")' instead of a loop: after a spurious wakeup the code below the 'if' runs "
                "although the condition may still hold; use 'while' instead of 'if', or ";
        return true;
      }
      return false;
    };
    bool retested = false;
    if (retestLoop) {
      guardedInLoop(retestLoop, loopIndex, retested, false);
      return v;
    }
    // A loop that never ends (a worker's `while (1)`) comes back to an `if` inside it that tests
    // shared state: the `if` is the re-test, as the condition of a `while` is. Nothing else
    // re-tests there, so a test that comes first after the wait must read the same state.
    if (endlessLoop && (guardedInLoop(endlessLoop, endlessIndex, retested, true) || retested))
      return v;

    // A loop written with goto: `again: if (C) { wait; goto again; }` re-tests C after every
    // wakeup, as `while (C) wait;` does.
    for (const Guard& g : guards)
      if (jumpsBackBefore(g.branch, g.ifs) && oracle.readsShared(g.ifs->getCond(), nullptr))
        return v;

    v.good = false;
    if (plainLoop) {
      v.bare = true;
      v.why = " is inside a loop that never re-tests shared state";
      if (const Expr* cond = loopCondition(plainLoop); cond && !sync::isConstantTrue(cond))
        v.why += " (it only tests '" + sync::spelling(cond, ctx_) + "')";
    } else if (const Guard* g = firstSharedGuard(guards, oracle)) {
      v.why =
          " is guarded by 'if (" + sync::spelling(g->ifs->getCond(), ctx_) + ")' instead of a loop";
      v.fix = evidentLoopFix(call, wait, *g);
    } else {
      v.bare = true;
      v.why = " is not inside a loop that re-tests the condition";
    }
    return v;
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
  // after the `if` that runs in the same iteration and is not itself a re-test (of the shared
  // state `sameAs` reads, when given)?
  bool runsMoreBeforeRetest(size_t ifIndex, size_t loopIndex, const sync::SharedStateOracle& oracle,
                            const Stmt* loop, const Expr* sameAs) const {
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
        if (!after || isa<NullStmt>(s) || releasesLock(s))
          continue;
        const Expr* cond = nullptr;
        if (const auto* ifs = dyn_cast<IfStmt>(s))
          cond = ifs->getCond();
        else if (const auto* sw = dyn_cast<SwitchStmt>(s))
          cond = sw->getCond();
        else if (isLoop(s))
          cond = loopCondition(s);
        return !(cond && oracle.readsShared(cond, loop) && (!sameAs || readsSame(cond, sameAs)));
      }
    }
    return false;
  }

  // `test` reads some of the shared state `guard` reads: a member (`q->head`), a global or static;
  // anything `guard` names when it names none of those (a call on a parameter).
  static bool readsSame(const Expr* test, const Expr* guard) {
    std::vector<const ValueDecl*> shared, all;
    collectReferenced(guard, all);
    for (const ValueDecl* d : all)
      if (const auto* vd = dyn_cast<VarDecl>(d);
          isa<FieldDecl>(d) || (vd && vd->hasGlobalStorage()))
        shared.push_back(d);
    const std::vector<const ValueDecl*>& wanted = shared.empty() ? all : shared;
    return std::any_of(wanted.begin(), wanted.end(),
                       [&](const ValueDecl* d) { return fixes::mentions(test, d); });
  }

  // `s` only gives up a lock (`pthread_mutex_unlock(&m);`, `lk.unlock();`): it does nothing with
  // the condition, so the wakeup still reaches the re-test.
  static bool releasesLock(const Stmt* s) {
    const auto* e = dyn_cast<Expr>(s);
    if (!e)
      return false;
    e = e->IgnoreParenImpCasts();
    if (const auto* ewc = dyn_cast<ExprWithCleanups>(e))
      e = ewc->getSubExpr()->IgnoreParenImpCasts();
    const auto* call = dyn_cast<CallExpr>(e);
    std::optional<api::PrimitiveCall> p = call ? api::classifyPrimitive(call) : std::nullopt;
    return p && (p->op == api::PrimitiveOp::Unlock || p->op == api::PrimitiveOp::UnlockShared);
  }

  // The branch ends by jumping to a label placed before `ifs`, so the `if` is tested again.
  bool jumpsBackBefore(const Stmt* branch, const IfStmt* ifs) const {
    const Stmt* last = branch;
    if (const auto* cs = dyn_cast_or_null<CompoundStmt>(branch))
      last = cs->body_empty() ? nullptr : cs->body_back();
    const auto* jump = dyn_cast_or_null<GotoStmt>(last);
    if (!jump || !jump->getLabel() || !jump->getLabel()->getStmt())
      return false;
    const SourceManager& sm = ctx_.getSourceManager();
    SourceLocation label = sm.getExpansionLoc(jump->getLabel()->getStmt()->getBeginLoc());
    SourceLocation test = sm.getExpansionLoc(ifs->getBeginLoc());
    return label == test || sm.isBeforeInTranslationUnit(label, test);
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
  TranslationUnitFacts& unit_;
  const FunctionDecl* fn_ = nullptr;
  CvReach cvReach_;
  // Per function: does it take a lock itself, does it give up a lock its caller handed it.
  std::map<const FunctionDecl*, std::pair<bool, bool>> lockUse_;
  std::vector<const Stmt*> stack_;
  std::string function_;
  std::map<const Stmt*, std::unique_ptr<sync::SharedStateOracle>> oracles_;
};

// A template's wait is reported from its pattern and from each instantiation, and only one of
// those findings survives deduplication. A fix is kept only where all of them computed the same
// one (a condition that depends on a template parameter has none in the pattern).
void keepOnlyAgreedFixes(std::vector<Finding>& out, size_t first) {
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

class CvWaitNoPredicateCheck : public AstCheck {
public:
  std::string_view id() const override { return "cv-wait-no-predicate"; }
  void check(ASTContext&, std::vector<Finding>&) const override {}
  // Findings of waits judged where they are go to the unit's findings; waits left to callers,
  // and calls that may be calls of such waits, to its facts (the callers may be elsewhere).
  void collect(ASTContext& ctx, TranslationUnitFacts& unit) const override {
    size_t first = unit.localFindings.size();
    Visitor(ctx, unit).TraverseDecl(ctx.getTranslationUnitDecl());
    keepOnlyAgreedFixes(unit.localFindings, first);
  }
};

// Judges the calls of wait wrappers, over every unit: a wrapper's callers are where the
// condition is known, and one that does not re-test it around the call has the wait's bug. A
// caller that only passes the wait on (no re-test either, the condition variable's holder from
// its own caller, no lock of its own) is a wrapper in turn. A wrapper nobody calls here is an
// API for code outside the program and stays quiet.
class WaitWrapperCallsCheck : public ProgramCheck {
public:
  std::string_view id() const override { return "cv-wait-no-predicate"; }

  void check(const ProgramView& program, std::vector<Finding>& out) override {
    struct Wrapper {
      std::string name;
      Location wait;
      std::string waitText; // the wait it ends in, for the message
      bool timed = false;
      const Wrapper* inner = nullptr; // the wrapper it calls, for a wrapper in turn
      std::string innerCall;          // how it calls that one
    };
    std::map<std::string, Wrapper> wrappers;
    for (const TranslationUnitFacts& unit : *program.units)
      for (const WaitWrapperFact& w : unit.waitWrappers)
        wrappers.try_emplace(w.function, Wrapper{w.name, w.wait, w.waitText, w.timed});
    if (wrappers.empty())
      return;
    // std::map never moves its nodes, so `inner` pointers stay valid while it grows.
    for (bool grew = true; grew;) {
      grew = false;
      for (const TranslationUnitFacts& unit : *program.units)
        for (const WaitCallFact& c : unit.waitCalls) {
          auto callee = wrappers.find(c.callee);
          if (c.deferTo.empty() || callee == wrappers.end() || wrappers.count(c.deferTo))
            continue;
          Wrapper w{c.deferName, c.loc, callee->second.waitText, callee->second.timed};
          w.inner = &callee->second;
          w.innerCall = c.calleeText;
          wrappers.emplace(c.deferTo, std::move(w));
          grew = true;
        }
    }

    size_t first = out.size();
    for (const TranslationUnitFacts& unit : *program.units)
      for (const WaitCallFact& c : unit.waitCalls) {
        auto callee = wrappers.find(c.callee);
        if (c.why.empty() || !c.deferTo.empty() || callee == wrappers.end())
          continue;
        const Wrapper& w = callee->second;
        const Wrapper* last = &w;
        while (last->inner)
          last = last->inner;
        Finding f;
        f.checkId = std::string(id());
        f.loc = c.loc;
        f.function = c.function;
        std::string what = quoted(c.calleeText) + " (which waits with " + last->waitText + " at " +
                           baseName(last->wait.file) + ":" + std::to_string(last->wait.line) +
                           " and leaves re-testing to its callers)";
        std::string fix = "wait in a loop that re-tests the condition ('while (!<condition>) " +
                          c.calleeText + "(...);')";
        if (c.guardedInLoop)
          f.message = what + c.why + fix;
        else
          f.message = what + c.why +
                      (w.timed ? ": it returns on a spurious wakeup as if notified, and it misses "
                                 "a notification sent before it started; "
                               : ": it returns on a spurious wakeup or a notification meant for "
                                 "another waiter while the condition still does not hold, and "
                                 "it waits forever if the notification came before it started; ") +
                      fix;
        for (const Wrapper* v = &w; v; v = v->inner) {
          Note n;
          n.loc = v->wait;
          n.message = v->inner ? "'" + v->name + "' calls " + quoted(v->innerCall) +
                                     " without re-testing the condition"
                               : v->waitText + " in '" + v->name +
                                     "' waits without a predicate; its callers must re-test";
          f.notes.push_back(std::move(n));
        }
        if (!w.timed)
          f.fix = c.fix;
        out.push_back(std::move(f));
      }
    keepOnlyAgreedFixes(out, first);
  }
};

} // namespace

std::unique_ptr<AstCheck> createCvWaitNoPredicateCheck() {
  return std::make_unique<CvWaitNoPredicateCheck>();
}

std::unique_ptr<ProgramCheck> createWaitWrapperCallsCheck() {
  return std::make_unique<WaitWrapperCallsCheck>();
}

} // namespace threadcheck::checkers
