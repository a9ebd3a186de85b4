// unnamed-lock-guard: `std::lock_guard<std::mutex>{m};` locks and unlocks within one statement,
// and `std::unique_lock<std::mutex>(m);` declares a new, empty guard called m. Either way the code
// that follows runs unprotected while looking protected.
#include "checks/Check.h"
#include "engine/ModelBuilder.h"
#include "engine/ThreadingApi.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

namespace threadcheck::checkers {
namespace {

using namespace clang;

const Expr* peel(const Expr* e) {
  while (e) {
    e = e->IgnoreParens();
    if (const auto* x = dyn_cast<ExprWithCleanups>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<CXXBindTemporaryExpr>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<MaterializeTemporaryExpr>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<ImplicitCastExpr>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<CXXFunctionalCastExpr>(e))
      e = x->getSubExpr();
    else
      break;
  }
  return e;
}

class Visitor : public RecursiveASTVisitor<Visitor> {
public:
  Visitor(ASTContext& ctx, std::vector<Finding>& out) : ctx_(ctx), out_(out) {}

  bool VisitFunctionDecl(FunctionDecl* fd) {
    if (fd->hasBody())
      function_ = api::qualifiedName(fd);
    return true;
  }

  bool VisitCompoundStmt(CompoundStmt* cs) {
    for (Stmt* s : cs->body())
      if (const auto* e = dyn_cast<Expr>(s))
        checkDiscarded(e);
    return true;
  }

  bool shouldVisitTemplateInstantiations() const { return true; }

  // System headers hold most of a translation unit's declarations and none of the user's code:
  // not walking them is most of what keeps the analysis close to -fsyntax-only.
  bool TraverseDecl(Decl* d) {
    if (d && !isa<TranslationUnitDecl>(d)) {
      const SourceManager& sm = ctx_.getSourceManager();
      SourceLocation loc = d->getLocation();
      if (loc.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(loc)))
        return true;
    }
    return RecursiveASTVisitor::TraverseDecl(d);
  }

  // A guard as the whole body of an if, a loop or a case label.
  bool VisitIfStmt(IfStmt* s) {
    checkBody(s->getThen());
    checkBody(s->getElse());
    return true;
  }
  bool VisitWhileStmt(WhileStmt* s) { return checkBody(s->getBody()); }
  bool VisitForStmt(ForStmt* s) { return checkBody(s->getBody()); }
  bool VisitDoStmt(DoStmt* s) { return checkBody(s->getBody()); }
  bool VisitCXXForRangeStmt(CXXForRangeStmt* s) { return checkBody(s->getBody()); }
  bool VisitSwitchCase(SwitchCase* s) { return checkBody(s->getSubStmt()); }
  bool VisitLabelStmt(LabelStmt* s) { return checkBody(s->getSubStmt()); }

  bool VisitBinaryOperator(BinaryOperator* bo) {
    if (bo->getOpcode() == BO_Comma)
      checkDiscarded(bo->getLHS());
    return true;
  }

  bool VisitVarDecl(VarDecl* vd) {
    if (!vd->isLocalVarDecl() || inSystem(vd->getLocation()))
      return true;
    api::GuardKind gk = api::guardKind(vd->getType());
    if (gk == api::GuardKind::None)
      return true;
    const auto* ce = dyn_cast_or_null<CXXConstructExpr>(vd->getInit());
    if (!ce || ce->getNumArgs() != 0)
      return true;
    // `std::unique_lock<std::mutex>(m);` parses as a declaration of m: the name is wrapped in
    // parentheses right after the type.
    const SourceManager& sm = ctx_.getSourceManager();
    SourceLocation nameLoc = sm.getExpansionLoc(vd->getLocation());
    bool invalid = false;
    const char* p = sm.getCharacterData(nameLoc, &invalid);
    const char* begin = sm.getCharacterData(sm.getExpansionLoc(vd->getBeginLoc()), &invalid);
    if (invalid || !p || !begin)
      return true;
    const char* q = p;
    while (q > begin && (q[-1] == ' ' || q[-1] == '\t'))
      --q;
    if (q == begin || q[-1] != '(')
      return true;
    std::string name = vd->getNameAsString();
    report(vd->getBeginLoc(),
           "this declares a new, empty " + std::string(api::guardName(gk)) + " named " +
               quoted(name) + " instead of locking " + quoted(name) +
               "; nothing is locked. Name the guard: '" + api::guardName(gk) + " lock(" + name +
               ");'");
    return true;
  }

private:
  bool checkBody(const Stmt* body) {
    if (const auto* e = dyn_cast_or_null<Expr>(body))
      checkDiscarded(e);
    return true;
  }

  bool inSystem(SourceLocation loc) const {
    const SourceManager& sm = ctx_.getSourceManager();
    return loc.isInvalid() || sm.isInSystemHeader(sm.getExpansionLoc(loc));
  }

  void checkDiscarded(const Expr* e) {
    const Expr* c = peel(e);
    const auto* ce = dyn_cast_or_null<CXXConstructExpr>(c);
    if (!ce || inSystem(ce->getBeginLoc()))
      return;
    api::GuardKind gk = api::guardKind(ce->getType());
    if (gk == api::GuardKind::None)
      return;
    std::string mutexes;
    for (const Expr* a : ce->arguments()) {
      if (api::guardTag(a->getType()) != api::GuardTag::None || isa<CXXDefaultArgExpr>(a))
        continue;
      const SourceManager& sm = ctx_.getSourceManager();
      CharSourceRange r = CharSourceRange::getTokenRange(a->getSourceRange());
      std::string text = Lexer::getSourceText(r, sm, ctx_.getLangOpts()).str();
      mutexes += (mutexes.empty() ? "" : ", ") + quoted(text);
    }
    if (mutexes.empty())
      return;
    report(ce->getBeginLoc(), "this " + std::string(api::guardName(gk)) +
                                  " is a temporary: it unlocks " + mutexes +
                                  " at the end of this statement, so the code after it is not "
                                  "protected; give the guard a name");
  }

  void report(SourceLocation loc, std::string message) {
    Finding f;
    f.checkId = "unnamed-lock-guard";
    f.loc = model::toLocation(toModelLoc(ctx_, loc));
    f.message = std::move(message);
    f.function = function_;
    out_.push_back(std::move(f));
  }

  ASTContext& ctx_;
  std::vector<Finding>& out_;
  std::string function_;
};

class UnnamedLockGuardCheck : public AstCheck {
public:
  std::string_view id() const override { return "unnamed-lock-guard"; }
  void check(ASTContext& ctx, std::vector<Finding>& out) const override {
    if (!ctx.getLangOpts().CPlusPlus)
      return;
    Visitor(ctx, out).TraverseDecl(ctx.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<AstCheck> createUnnamedLockGuardCheck() {
  return std::make_unique<UnnamedLockGuardCheck>();
}

} // namespace threadcheck::checkers
