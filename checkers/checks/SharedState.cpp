#include "checks/SharedState.h"

#include "checks/SyncPrimitives.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>

namespace threadcheck::checkers::sync {

using namespace clang;

namespace {

const VarDecl* localVar(const Expr* e) {
  if (!e)
    return nullptr;
  const auto* dre = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
  if (!dre)
    return nullptr;
  const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
  return vd && vd->hasLocalStorage() ? vd : nullptr;
}

// Locals another function or thread can reach: their address taken, bound to a reference,
// passed by non-const reference, or captured by reference.
class EscapeFinder : public RecursiveASTVisitor<EscapeFinder> {
public:
  explicit EscapeFinder(std::set<const VarDecl*>& out) : out_(out) {}

  bool VisitUnaryOperator(UnaryOperator* uo) {
    if (uo->getOpcode() == UO_AddrOf)
      add(uo->getSubExpr());
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* le) {
    for (const LambdaCapture& c : le->captures())
      if (c.capturesVariable() && c.getCaptureKind() == LCK_ByRef)
        if (const auto* vd = dyn_cast<VarDecl>(c.getCapturedVar()))
          out_.insert(vd);
    return true;
  }
  bool VisitVarDecl(VarDecl* vd) {
    if (vd->getType()->isReferenceType() && vd->getInit())
      add(vd->getInit());
    return true;
  }
  bool VisitCallExpr(CallExpr* call) {
    const FunctionDecl* fd = call->getDirectCallee();
    unsigned offset = isa<CXXOperatorCallExpr>(call) && isa_and_nonnull<CXXMethodDecl>(fd) ? 1 : 0;
    for (unsigned i = 0; i < call->getNumArgs(); ++i) {
      if (!fd || i < offset || i - offset >= fd->getNumParams()) {
        // Unknown callee or variadic part: an lvalue argument may be bound to a reference.
        if (!fd)
          add(call->getArg(i));
        continue;
      }
      QualType pt = fd->getParamDecl(i - offset)->getType();
      if (pt->isReferenceType() && !pt.getNonReferenceType().isConstQualified())
        add(call->getArg(i));
    }
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr* ce) {
    const CXXConstructorDecl* ctor = ce->getConstructor();
    for (unsigned i = 0; i < ce->getNumArgs() && ctor && i < ctor->getNumParams(); ++i) {
      QualType pt = ctor->getParamDecl(i)->getType();
      if (pt->isReferenceType() && !pt.getNonReferenceType().isConstQualified())
        add(ce->getArg(i));
    }
    return true;
  }

private:
  void add(const Expr* e) {
    if (const VarDecl* vd = localVar(e))
      out_.insert(vd);
  }
  std::set<const VarDecl*>& out_;
};

bool isAtomicOrVolatile(QualType t) {
  if (t.isVolatileQualified())
    return true;
  const CXXRecordDecl* rd = t.getNonReferenceType()->getAsCXXRecordDecl();
  return rd && rd->getIdentifier() && rd->getName().starts_with("atomic") && rd->isInStdNamespace();
}

// Assignments to `vd` (and its declaration) inside `region`.
class AssignmentFinder : public RecursiveASTVisitor<AssignmentFinder> {
public:
  explicit AssignmentFinder(const VarDecl* vd) : vd_(vd) {}
  bool VisitBinaryOperator(BinaryOperator* bo) {
    if (bo->isAssignmentOp() && localVar(bo->getLHS()) == vd_)
      sources.push_back(bo->getRHS());
    return true;
  }
  bool VisitDeclStmt(DeclStmt* ds) {
    for (const Decl* d : ds->decls())
      if (d == vd_ && vd_->getInit())
        sources.push_back(vd_->getInit());
    return true;
  }
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  std::vector<const Expr*> sources;

private:
  const VarDecl* vd_;
};

} // namespace

bool isConstantTrue(const Expr* cond) {
  if (!cond)
    return true;
  cond = cond->IgnoreParenImpCasts();
  if (const auto* b = dyn_cast<CXXBoolLiteralExpr>(cond))
    return b->getValue();
  if (const auto* i = dyn_cast<IntegerLiteral>(cond))
    return i->getValue() != 0;
  return false;
}

SharedStateOracle::SharedStateOracle(const Stmt* root) {
  if (root)
    EscapeFinder(escaped_).TraverseStmt(const_cast<Stmt*>(root));
}

bool SharedStateOracle::readsShared(const Expr* e, const Stmt* region) const {
  return e && reads(e, region, 0);
}

bool SharedStateOracle::reads(const Stmt* s, const Stmt* region, int depth) const {
  if (!s || isa<LambdaExpr>(s))
    return false;
  if (const auto* call = dyn_cast<CallExpr>(s)) {
    // The result of a wait says whether it timed out, not whether anything changed.
    if (classifyCvWait(call))
      return false;
    return true;
  }
  if (const auto* uo = dyn_cast<UnaryOperator>(s); uo && uo->getOpcode() == UO_Deref)
    return true;
  if (const auto* me = dyn_cast<MemberExpr>(s)) {
    const Expr* base = me->getBase()->IgnoreParenImpCasts();
    // A member of a plain local struct is as local as the struct.
    if (!me->isArrow() && localVar(base))
      return reads(base, region, depth);
    return true;
  }
  if (const auto* ase = dyn_cast<ArraySubscriptExpr>(s)) {
    const Expr* base = ase->getBase()->IgnoreParenImpCasts();
    if (!localVar(base) || !localVar(base)->getType()->isArrayType())
      return true;
  }
  if (const auto* dre = dyn_cast<DeclRefExpr>(s)) {
    const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
    if (!vd)
      return false;
    QualType t = vd->getType();
    if (isAtomicOrVolatile(t))
      return true;
    if (vd->hasGlobalStorage())
      return !(t.isConstQualified() && vd->getInit());
    if (t->isReferenceType() || dre->refersToEnclosingVariableOrCapture())
      return true;
    if (escaped_.count(vd))
      return true;
    return localRefreshedFromShared(vd, region, depth);
  }
  for (const Stmt* child : s->children())
    if (reads(child, region, depth))
      return true;
  return false;
}

bool SharedStateOracle::localRefreshedFromShared(const VarDecl* vd, const Stmt* region,
                                                 int depth) const {
  if (!region || depth > 3)
    return false;
  AssignmentFinder finder(vd);
  finder.TraverseStmt(const_cast<Stmt*>(region));
  for (const Expr* src : finder.sources)
    if (reads(src, region, depth + 1))
      return true;
  return false;
}

} // namespace threadcheck::checkers::sync
