// thread-local-escape: each thread has its own copy of a thread_local; handing its address to
// another thread shares one thread's copy, which dies with that thread and is read without the
// isolation the code was written for.
#include "checks/Check.h"
#include "engine/ModelBuilder.h"
#include "engine/ThreadingApi.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>

namespace threadcheck::checkers {
namespace {

using namespace clang;

const VarDecl* threadLocalOf(const Expr* e) {
  if (!e)
    return nullptr;
  e = e->IgnoreParenImpCasts();
  // A member or element of a thread_local is still that thread's storage.
  while (true) {
    if (const auto* me = dyn_cast<MemberExpr>(e); me && !me->isArrow())
      e = me->getBase()->IgnoreParenImpCasts();
    else if (const auto* ase = dyn_cast<ArraySubscriptExpr>(e))
      e = ase->getBase()->IgnoreParenImpCasts();
    else
      break;
  }
  if (const auto* dre = dyn_cast<DeclRefExpr>(e))
    if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()); vd && vd->getTLSKind() != VarDecl::TLS_None)
      return vd;
  return nullptr;
}

// `&tl`, `std::addressof(tl)`, `std::ref(tl)`: the thread_local whose address the expression
// carries, if any.
const VarDecl* addressedThreadLocal(const Expr* e) {
  if (!e)
    return nullptr;
  // A thread_local array decays to its address (under whatever casts to void* follow).
  for (const Expr* c = e->IgnoreParens(); const auto* ic = dyn_cast<ImplicitCastExpr>(c);
       c = ic->getSubExpr()->IgnoreParens())
    if (ic->getCastKind() == CK_ArrayToPointerDecay)
      return threadLocalOf(ic->getSubExpr());
  e = e->IgnoreParenImpCasts();
  if (const auto* mt = dyn_cast<MaterializeTemporaryExpr>(e))
    e = mt->getSubExpr()->IgnoreParenImpCasts();
  if (const auto* bt = dyn_cast<CXXBindTemporaryExpr>(e))
    e = bt->getSubExpr()->IgnoreParenImpCasts();
  if (const auto* ce = dyn_cast<CXXConstructExpr>(e); ce && ce->getNumArgs() == 1)
    return addressedThreadLocal(ce->getArg(0));
  if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_AddrOf)
    return threadLocalOf(uo->getSubExpr());
  if (const auto* call = dyn_cast<CallExpr>(e))
    if (const FunctionDecl* fd = call->getDirectCallee(); fd && call->getNumArgs() == 1) {
      std::string q = api::qualifiedName(fd);
      if (q == "std::ref" || q == "std::cref" || q == "std::addressof")
        return threadLocalOf(call->getArg(0));
    }
  return nullptr;
}

class Visitor : public RecursiveASTVisitor<Visitor> {
public:
  Visitor(ASTContext& ctx, std::vector<Finding>& out) : ctx_(ctx), out_(out) {}

  bool TraverseDecl(Decl* d) {
    if (d && !isa<TranslationUnitDecl>(d)) {
      const SourceManager& sm = ctx_.getSourceManager();
      SourceLocation loc = d->getLocation();
      if (loc.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(loc)))
        return true;
    }
    if (const auto* fd = dyn_cast_or_null<FunctionDecl>(d); fd && fd->hasBody())
      function_ = api::findingFunctionName(fd);
    return RecursiveASTVisitor::TraverseDecl(d);
  }

  bool VisitVarDecl(VarDecl* vd) {
    // Local pointers and references that hold a thread_local: a thread that receives them gets
    // this thread's copy.
    if (!vd->hasLocalStorage() || !vd->getInit())
      return true;
    if (vd->getType()->isPointerType()) {
      if (const VarDecl* tl = addressedThreadLocal(vd->getInit()))
        pointers_[vd] = tl;
    } else if (vd->getType()->isReferenceType()) {
      if (const VarDecl* tl = threadLocalOf(vd->getInit()))
        pointers_[vd] = tl;
    }
    return true;
  }

  // The thread_local an argument carries: its address, or a local pointer or reference to it.
  const VarDecl* carried(const Expr* e) const {
    if (const VarDecl* tl = addressedThreadLocal(e))
      return tl;
    if (const auto* dre = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()))
      if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()))
        if (auto it = pointers_.find(vd); it != pointers_.end())
          return it->second;
    return nullptr;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr* ce) {
    bool jthread = false;
    if (!api::isStdThread(ce->getType(), jthread) || ce->getNumArgs() < 1)
      return true;
    for (unsigned i = 1; i < ce->getNumArgs(); ++i)
      if (const VarDecl* tl = carried(ce->getArg(i)))
        report(ce->getBeginLoc(), tl, "is passed to a new thread");
    checkCallable(ce->getArg(0), ce->getBeginLoc());
    return true;
  }

  bool VisitCallExpr(CallExpr* call) {
    const FunctionDecl* fd = call->getDirectCallee();
    if (!fd || !fd->getIdentifier())
      return true;
    unsigned argIndex = fd->getName() == "pthread_create" ? 3 : fd->getName() == "thrd_create" ? 2 : 0;
    if (argIndex && call->getNumArgs() > argIndex)
      if (const VarDecl* tl = carried(call->getArg(argIndex)))
        report(call->getBeginLoc(), tl, "is passed to a new thread");
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator* bo) {
    if (bo->getOpcode() != BO_Assign)
      return true;
    const VarDecl* tl = addressedThreadLocal(bo->getRHS());
    if (!tl)
      return true;
    // Into a local pointer it stays on this thread (unless a thread captures it: see above).
    if (const auto* dre = dyn_cast<DeclRefExpr>(bo->getLHS()->IgnoreParenImpCasts()))
      if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl())) {
        if (vd->hasLocalStorage()) {
          pointers_[vd] = tl;
          return true;
        }
        if (vd->getTLSKind() != VarDecl::TLS_None)
          return true; // a thread_local pointer to this thread's own data: per thread too
      }
    report(bo->getOperatorLoc(), tl, "is stored where other threads can read it");
    return true;
  }

private:
  void checkCallable(const Expr* callable, SourceLocation at) {
    const Expr* e = callable->IgnoreParenImpCasts();
    while (true) {
      if (const auto* mt = dyn_cast<MaterializeTemporaryExpr>(e))
        e = mt->getSubExpr()->IgnoreParenImpCasts();
      else if (const auto* bt = dyn_cast<CXXBindTemporaryExpr>(e))
        e = bt->getSubExpr()->IgnoreParenImpCasts();
      else if (const auto* ce = dyn_cast<CXXConstructExpr>(e); ce && ce->getNumArgs() == 1)
        e = ce->getArg(0)->IgnoreParenImpCasts();
      else
        break;
    }
    const auto* le = dyn_cast<LambdaExpr>(e);
    if (!le)
      return;
    for (const LambdaCapture& cap : le->captures()) {
      if (!cap.capturesVariable())
        continue;
      const auto* vd = dyn_cast<VarDecl>(cap.getCapturedVar());
      if (!vd)
        continue;
      if (vd->isInitCapture()) {
        if (const VarDecl* tl = addressedThreadLocal(vd->getInit()))
          report(at, tl, "is captured by a new thread");
        continue;
      }
      if (auto it = pointers_.find(vd); it != pointers_.end())
        report(at, it->second,
               "is captured (through '" + vd->getNameAsString() + "') by a new thread");
    }
  }

  void report(SourceLocation loc, const VarDecl* tl, const std::string& how) {
    const SourceManager& sm = ctx_.getSourceManager();
    if (sm.isInSystemHeader(sm.getExpansionLoc(loc)))
      return;
    Finding f;
    f.checkId = "thread-local-escape";
    f.loc = model::toLocation(toModelLoc(ctx_, loc));
    f.message = "the address of thread_local " + quoted(tl->getNameAsString()) + " " + how +
                ": that thread sees this thread's copy, which dies with this thread";
    f.function = function_;
    Note n;
    n.loc = model::toLocation(toModelLoc(ctx_, tl->getLocation()));
    n.message = quoted(tl->getNameAsString()) + " declared thread_local here";
    f.notes.push_back(std::move(n));
    out_.push_back(std::move(f));
  }

  ASTContext& ctx_;
  std::vector<Finding>& out_;
  std::string function_;
  std::map<const VarDecl*, const VarDecl*> pointers_;
};

class ThreadLocalEscapeCheck : public AstCheck {
public:
  std::string_view id() const override { return "thread-local-escape"; }
  void check(ASTContext& ctx, std::vector<Finding>& out) const override {
    Visitor(ctx, out).TraverseDecl(ctx.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<AstCheck> createThreadLocalEscapeCheck() {
  return std::make_unique<ThreadLocalEscapeCheck>();
}

} // namespace threadcheck::checkers
