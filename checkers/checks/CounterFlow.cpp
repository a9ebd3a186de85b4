#include "checks/CounterFlow.h"

#include "engine/ThreadingApi.h"

#include <algorithm>
#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>

namespace threadcheck::checkers::sync {

using namespace clang;

namespace {

constexpr int64_t kMaxUnrolledTrips = 256;

bool hasGoto(const Stmt* s) {
  if (!s)
    return false;
  if (isa<GotoStmt, IndirectGotoStmt, LabelStmt, CoroutineBodyStmt>(s))
    return true;
  for (const Stmt* c : s->children())
    if (hasGoto(c))
      return true;
  return false;
}

// A jump that leaves one iteration early: unrolling the loop would be wrong.
bool leavesIteration(const Stmt* s, bool inNestedBreakable, bool inNestedLoop) {
  if (!s || isa<LambdaExpr>(s))
    return false;
  if (isa<ReturnStmt, CXXThrowExpr>(s))
    return true;
  if (isa<BreakStmt>(s))
    return !inNestedBreakable;
  if (isa<ContinueStmt>(s))
    return !inNestedLoop;
  bool loop = isa<WhileStmt, DoStmt, ForStmt, CXXForRangeStmt>(s);
  bool breakable = loop || isa<SwitchStmt>(s);
  for (const Stmt* c : s->children())
    if (leavesIteration(c, inNestedBreakable || breakable, inNestedLoop || loop))
      return true;
  return false;
}

bool isNoReturn(const Expr* e) {
  e = e->IgnoreParenImpCasts();
  if (const auto* ewc = dyn_cast<ExprWithCleanups>(e))
    e = ewc->getSubExpr()->IgnoreParenImpCasts();
  const auto* call = dyn_cast<CallExpr>(e);
  return call && api::isNoReturnCall(call);
}

bool isThrow(const Expr* e) {
  e = e->IgnoreParenImpCasts();
  if (const auto* ewc = dyn_cast<ExprWithCleanups>(e))
    e = ewc->getSubExpr()->IgnoreParenImpCasts();
  return isa<CXXThrowExpr>(e);
}

const VarDecl* varOf(const Expr* e) {
  const auto* dre = dyn_cast_or_null<DeclRefExpr>(e ? e->IgnoreParenImpCasts() : nullptr);
  return dre ? dyn_cast<VarDecl>(dre->getDecl()) : nullptr;
}

bool modifies(const Stmt* s, const VarDecl* v) {
  if (!s)
    return false;
  if (const auto* bo = dyn_cast<BinaryOperator>(s);
      bo && bo->isAssignmentOp() && varOf(bo->getLHS()) == v)
    return true;
  if (const auto* uo = dyn_cast<UnaryOperator>(s);
      uo && (uo->isIncrementDecrementOp() || uo->getOpcode() == UO_AddrOf) &&
      varOf(uo->getSubExpr()) == v)
    return true;
  for (const Stmt* c : s->children())
    if (modifies(c, v))
      return true;
  return false;
}

} // namespace

std::optional<CounterState> CounterFlow::run(const Stmt* body, CounterState entry, bool report) {
  if (!body || hasGoto(body))
    return std::nullopt;
  bool savedReport = report_;
  auto savedExits = std::move(exits_);
  exits_.clear();
  report_ = report;
  MaybeState end = stmt(body, std::move(entry));
  for (const CounterState& e : exits_)
    end = join(std::move(end), e);
  exits_ = std::move(savedExits);
  report_ = savedReport;
  return end;
}

CounterFlow::MaybeState CounterFlow::join(MaybeState a, const MaybeState& b) {
  if (!a)
    return b;
  if (!b)
    return a;
  CounterState out;
  for (const auto& [key, ca] : *a) {
    auto it = b->find(key);
    if (it == b->end())
      continue;
    Counter c;
    c.low = std::min(ca.low, it->second.low);
    c.selfCounted = ca.selfCounted && it->second.selfCounted;
    out.emplace(key, c);
  }
  return out;
}

// After a loop that ran an unknown number of times: a counter that one iteration lowered may be
// anywhere down to zero; one that it did not lower keeps the bound it had before the loop.
CounterState CounterFlow::widen(const CounterState& before, const MaybeState& after) {
  if (!after)
    return before;
  CounterState out;
  for (const auto& [key, cb] : before) {
    auto it = after->find(key);
    if (it == after->end())
      continue;
    Counter c;
    c.low = it->second.low >= cb.low ? cb.low : 0;
    c.selfCounted = cb.selfCounted && it->second.selfCounted;
    out.emplace(key, c);
  }
  return out;
}

void CounterFlow::expr(const Expr* e, CounterState& st) {
  if (!e)
    return;
  if (isa<LambdaExpr, UnaryExprOrTypeTraitExpr, CXXTypeidExpr, CXXNoexceptExpr>(e))
    return;
  if (const auto* co = dyn_cast<AbstractConditionalOperator>(e)) {
    expr(co->getCond(), st);
    CounterState other = st;
    expr(co->getTrueExpr(), st);
    expr(co->getFalseExpr(), other);
    st = *join(std::move(st), other);
    return;
  }
  if (const auto* bo = dyn_cast<BinaryOperator>(e); bo && bo->isLogicalOp()) {
    expr(bo->getLHS(), st);
    CounterState taken = st;
    expr(bo->getRHS(), taken);
    st = *join(std::move(st), taken);
    return;
  }
  for (const Stmt* c : e->children())
    if (const auto* ce = dyn_cast_or_null<Expr>(c))
      expr(ce, st);
  if (isa<CallExpr, CXXConstructExpr>(e))
    client_.onCall(e, st, report_);
}

CounterFlow::MaybeState CounterFlow::stmt(const Stmt* s, CounterState st) {
  if (!s)
    return st;
  if (const auto* cs = dyn_cast<CompoundStmt>(s)) {
    for (const Stmt* c : cs->body()) {
      MaybeState next = stmt(c, std::move(st));
      if (!next)
        return std::nullopt;
      st = std::move(*next);
    }
    return st;
  }
  if (const auto* ds = dyn_cast<DeclStmt>(s)) {
    for (const Decl* d : ds->decls())
      if (const auto* vd = dyn_cast<VarDecl>(d)) {
        expr(vd->getInit(), st);
        client_.onVarDecl(vd, st, report_);
      }
    return st;
  }
  if (const auto* ifs = dyn_cast<IfStmt>(s)) {
    MaybeState pre = stmt(ifs->getInit(), std::move(st));
    if (!pre)
      return std::nullopt;
    st = std::move(*pre);
    if (const DeclStmt* cv = ifs->getConditionVariableDeclStmt())
      st = *stmt(cv, std::move(st));
    expr(ifs->getCond(), st);
    bool constant = false;
    if (ifs->isConstexpr()) {
      if (auto v = ifs->getCond()->getIntegerConstantExpr(ctx_))
        return stmt(v->getBoolValue() ? ifs->getThen() : ifs->getElse(), std::move(st));
    } else if (!ifs->getCond()->isValueDependent() &&
               ifs->getCond()->EvaluateAsBooleanCondition(constant, ctx_) &&
               !ifs->getCond()->HasSideEffects(ctx_)) {
      return stmt(constant ? ifs->getThen() : ifs->getElse(), std::move(st));
    }
    MaybeState thenSt = stmt(ifs->getThen(), st);
    MaybeState elseSt = stmt(ifs->getElse(), std::move(st));
    return join(std::move(thenSt), elseSt);
  }
  if (const auto* w = dyn_cast<WhileStmt>(s)) {
    if (const DeclStmt* cv = w->getConditionVariableDeclStmt())
      st = *stmt(cv, std::move(st));
    return loop(w->getBody(), w->getCond(), nullptr, std::move(st), std::nullopt, false);
  }
  if (const auto* d = dyn_cast<DoStmt>(s))
    return loop(d->getBody(), d->getCond(), nullptr, std::move(st), std::nullopt, true);
  if (const auto* f = dyn_cast<ForStmt>(s)) {
    MaybeState pre = stmt(f->getInit(), std::move(st));
    if (!pre)
      return std::nullopt;
    return loop(f->getBody(), f->getCond(), f->getInc(), std::move(*pre), tripCount(f), false);
  }
  if (const auto* r = dyn_cast<CXXForRangeStmt>(s)) {
    MaybeState pre = stmt(r->getInit(), std::move(st));
    if (!pre)
      return std::nullopt;
    expr(r->getRangeInit(), *pre);
    return loop(r->getBody(), nullptr, nullptr, std::move(*pre), tripCount(r), false);
  }
  if (const auto* sw = dyn_cast<SwitchStmt>(s)) {
    MaybeState pre = stmt(sw->getInit(), std::move(st));
    if (!pre)
      return std::nullopt;
    st = std::move(*pre);
    expr(sw->getCond(), st);
    // Cases are alternatives: run the body once without reporting, only to learn what it may
    // lower.
    bool savedReport = report_;
    report_ = false;
    jumps_.emplace_back();
    MaybeState end = stmt(sw->getBody(), st);
    for (const CounterState& j : jumps_.back())
      end = join(std::move(end), j);
    jumps_.pop_back();
    report_ = savedReport;
    return widen(st, end);
  }
  if (const auto* c = dyn_cast<SwitchCase>(s))
    return stmt(c->getSubStmt(), std::move(st));
  if (const auto* a = dyn_cast<AttributedStmt>(s))
    return stmt(a->getSubStmt(), std::move(st));
  if (const auto* r = dyn_cast<ReturnStmt>(s)) {
    expr(r->getRetValue(), st);
    exits_.push_back(std::move(st));
    return std::nullopt;
  }
  if (isa<BreakStmt, ContinueStmt>(s)) {
    if (!jumps_.empty())
      jumps_.back().push_back(std::move(st));
    return std::nullopt;
  }
  if (const auto* t = dyn_cast<CXXTryStmt>(s)) {
    MaybeState body = stmt(t->getTryBlock(), st);
    MaybeState out = body;
    CounterState handlerEntry = widen(st, body);
    for (unsigned i = 0; i < t->getNumHandlers(); ++i)
      out = join(std::move(out), stmt(t->getHandler(i)->getHandlerBlock(), handlerEntry));
    return out;
  }
  if (const auto* e = dyn_cast<Expr>(s)) {
    expr(e, st);
    if (isThrow(e)) {
      exits_.push_back(std::move(st));
      return std::nullopt;
    }
    if (isNoReturn(e))
      return std::nullopt;
    return st;
  }
  for (const Stmt* c : s->children()) {
    if (const auto* ce = dyn_cast_or_null<Expr>(c)) {
      expr(ce, st);
      continue;
    }
    MaybeState next = stmt(c, std::move(st));
    if (!next)
      return std::nullopt;
    st = std::move(*next);
  }
  return st;
}

CounterFlow::MaybeState CounterFlow::loop(const Stmt* body, const Expr* cond, const Stmt* inc,
                                          CounterState st, std::optional<int64_t> trips,
                                          bool atLeastOnce) {
  if (trips && *trips == 0)
    return st;
  if (trips && *trips <= kMaxUnrolledTrips && !leavesIteration(body, false, false)) {
    for (int64_t i = 0; i < *trips; ++i) {
      MaybeState next = stmt(body, std::move(st));
      if (!next)
        return std::nullopt;
      st = std::move(*next);
      if (const auto* e = dyn_cast_or_null<Expr>(inc))
        expr(e, st);
    }
    return st;
  }
  bool forever = !atLeastOnce &&
                 (!cond || isa<CXXBoolLiteralExpr, IntegerLiteral>(cond->IgnoreParenImpCasts()));
  if (cond && forever) {
    bool value = false;
    forever = cond->EvaluateAsBooleanCondition(value, ctx_) && value;
  }
  CounterState first = st;
  if (!atLeastOnce)
    expr(cond, first);
  // The first iteration is a path of its own: what happens in it is reported.
  jumps_.emplace_back();
  MaybeState end = stmt(body, first);
  if (end && inc)
    if (const auto* e = dyn_cast<Expr>(inc))
      expr(e, *end);
  if (end && atLeastOnce)
    expr(cond, *end);
  MaybeState all = end;
  for (const CounterState& j : jumps_.back())
    all = join(std::move(all), j);
  jumps_.pop_back();
  if (forever && !all)
    return std::nullopt;
  return widen(first, all);
}

std::optional<int64_t> CounterFlow::tripCount(const ForStmt* f) const {
  const VarDecl* v = nullptr;
  int64_t start = 0;
  auto constant = [&](const Expr* e) -> std::optional<int64_t> {
    Expr::EvalResult r;
    if (!e || e->isValueDependent() || !e->EvaluateAsInt(r, ctx_))
      return std::nullopt;
    return r.Val.getInt().getExtValue();
  };
  if (const auto* ds = dyn_cast_or_null<DeclStmt>(f->getInit()); ds && ds->isSingleDecl()) {
    v = dyn_cast<VarDecl>(ds->getSingleDecl());
    auto c = v ? constant(v->getInit()) : std::nullopt;
    if (!c)
      return std::nullopt;
    start = *c;
  } else if (const auto* bo = dyn_cast_or_null<BinaryOperator>(f->getInit());
             bo && bo->getOpcode() == BO_Assign) {
    v = varOf(bo->getLHS());
    auto c = constant(bo->getRHS());
    if (!v || !c)
      return std::nullopt;
    start = *c;
  }
  if (!v || !v->getType()->isIntegerType())
    return std::nullopt;
  const auto* cond = dyn_cast_or_null<BinaryOperator>(f->getCond());
  if (!cond)
    return std::nullopt;
  BinaryOperatorKind op = cond->getOpcode();
  std::optional<int64_t> end;
  if (varOf(cond->getLHS()) == v) {
    end = constant(cond->getRHS());
  } else if (varOf(cond->getRHS()) == v) {
    end = constant(cond->getLHS());
    op = op == BO_GT ? BO_LT : op == BO_GE ? BO_LE : op == BO_NE ? BO_NE : BO_Comma;
  }
  if (!end)
    return std::nullopt;
  // Only `++v`, `v++` and `v += 1` step by one.
  const Expr* inc = dyn_cast_or_null<Expr>(f->getInc());
  bool stepOne = false;
  if (const auto* uo = dyn_cast_or_null<UnaryOperator>(inc))
    stepOne = uo->isIncrementOp() && varOf(uo->getSubExpr()) == v;
  else if (const auto* ca = dyn_cast_or_null<CompoundAssignOperator>(inc))
    stepOne =
        ca->getOpcode() == BO_AddAssign && varOf(ca->getLHS()) == v && constant(ca->getRHS()) == 1;
  if (!stepOne || modifies(f->getBody(), v))
    return std::nullopt;
  int64_t n;
  if (op == BO_LT)
    n = *end - start;
  else if (op == BO_LE)
    n = *end - start + 1;
  else if (op == BO_NE && *end >= start)
    n = *end - start;
  else
    return std::nullopt;
  return std::max<int64_t>(n, 0);
}

std::optional<int64_t> CounterFlow::tripCount(const CXXForRangeStmt* f) const {
  const Expr* range = f->getRangeInit();
  while (range) {
    range = range->IgnoreParenImpCasts();
    if (const auto* m = dyn_cast<MaterializeTemporaryExpr>(range))
      range = m->getSubExpr();
    else if (const auto* il = dyn_cast<CXXStdInitializerListExpr>(range))
      range = il->getSubExpr();
    else if (const auto* ewc = dyn_cast<ExprWithCleanups>(range))
      range = ewc->getSubExpr();
    else
      break;
  }
  if (!range)
    return std::nullopt;
  if (const auto* init = dyn_cast<InitListExpr>(range))
    return init->getNumInits();
  if (const auto* arr = ctx_.getAsConstantArrayType(range->getType()))
    return arr->getSize().getSExtValue();
  return std::nullopt;
}

namespace {

class BodyVisitor : public RecursiveASTVisitor<BodyVisitor> {
public:
  BodyVisitor(ASTContext& ctx, const std::function<void(const Stmt*, const std::string&)>& fn)
      : ctx_(ctx), fn_(fn) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl* d) {
    if (d && !isa<TranslationUnitDecl>(d)) {
      const SourceManager& sm = ctx_.getSourceManager();
      SourceLocation loc = d->getLocation();
      if (loc.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(loc)))
        return true;
    }
    if (const auto* fd = dyn_cast_or_null<FunctionDecl>(d)) {
      std::string saved = function_;
      function_ = api::findingFunctionName(fd);
      bool ok = RecursiveASTVisitor::TraverseDecl(d);
      function_ = saved;
      return ok;
    }
    return RecursiveASTVisitor::TraverseDecl(d);
  }

  bool VisitFunctionDecl(FunctionDecl* fd) {
    if (fd->doesThisDeclarationHaveABody() && !fd->isDependentContext() && !fd->isInvalidDecl() &&
        (!isa<CXXMethodDecl>(fd) || !cast<CXXMethodDecl>(fd)->getParent()->isLambda()))
      fn_(fd->getBody(), function_);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* le) {
    const CXXMethodDecl* op = le->getCallOperator();
    if (op && !op->isDependentContext() && le->getBody())
      fn_(le->getBody(), function_);
    return true;
  }

private:
  ASTContext& ctx_;
  const std::function<void(const Stmt*, const std::string&)>& fn_;
  std::string function_;
};

} // namespace

void forEachBody(ASTContext& ctx, const std::function<void(const Stmt*, const std::string&)>& fn) {
  BodyVisitor(ctx, fn).TraverseDecl(ctx.getTranslationUnitDecl());
}

} // namespace threadcheck::checkers::sync
