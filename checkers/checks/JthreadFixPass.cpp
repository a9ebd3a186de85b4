// The fix for thread-not-joined on exception paths ("if 'stoi' throws, std::thread 't' is
// destroyed while joinable"): a local `std::thread t(f, ...)` that the code joins becomes a
// `std::jthread`, whose destructor joins instead of calling std::terminate. The join calls stay
// (jthread::join does the same), so normal paths behave as before. The pass runs per unit while
// the AST is alive; thread-not-joined attaches the fix to its findings about the thread started
// at the declaration's construction (the anchor).
#include "checks/Check.h"
#include "checks/FixSupport.h"
#include "engine/ThreadingApi.h"
#include "threadcheck/checkers/Facts.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

#include <set>

namespace threadcheck::checkers {
namespace {

using namespace clang;

bool isStopToken(QualType t) {
  const CXXRecordDecl* rd = t.getNonReferenceType()->getAsCXXRecordDecl();
  return rd && api::qualifiedName(rd) == "std::stop_token";
}

// std::jthread passes a std::stop_token first when the callable accepts one; a callable that
// might (a generic lambda, a functor, an overload set) would then run with other arguments.
bool takesNoStopToken(const Expr* callable) {
  callable = callable->IgnoreImplicit()->IgnoreParenImpCasts();
  if (const auto* uo = dyn_cast<UnaryOperator>(callable); uo && uo->getOpcode() == UO_AddrOf)
    callable = uo->getSubExpr()->IgnoreParenImpCasts();
  const FunctionDecl* fn = nullptr;
  if (const auto* dre = dyn_cast<DeclRefExpr>(callable))
    fn = dyn_cast<FunctionDecl>(dre->getDecl());
  else if (const auto* le = dyn_cast<LambdaExpr>(callable))
    fn = le->getCallOperator()->getDescribedFunctionTemplate() ? nullptr : le->getCallOperator();
  if (!fn || fn->getTemplatedKind() != FunctionDecl::TK_NonTemplate)
    return false;
  return fn->getNumParams() == 0 || !isStopToken(fn->getParamDecl(0)->getType());
}

// Every use of the thread is a call of a member std::jthread has too: passing it on (to a
// container of std::thread, a function taking std::thread&) would no longer compile.
class UseChecker : public RecursiveASTVisitor<UseChecker> {
public:
  explicit UseChecker(const VarDecl* var) : var_(var) {}
  bool onlyMemberCalls = true;

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr* call) {
    const auto* dre =
        dyn_cast_or_null<DeclRefExpr>(call->getImplicitObjectArgument()->IgnoreParenImpCasts());
    const CXXMethodDecl* md = call->getMethodDecl();
    if (dre && dre->getDecl() == var_ && md && md->getIdentifier()) {
      llvm::StringRef n = md->getName();
      if (n == "join" || n == "joinable" || n == "detach" || n == "get_id")
        allowed_.insert(dre);
    }
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr* dre) {
    if (dre->getDecl() == var_)
      uses_.push_back(dre);
    return true;
  }
  void finish() {
    for (const DeclRefExpr* u : uses_)
      onlyMemberCalls &= allowed_.count(u) > 0;
  }

private:
  const VarDecl* var_;
  std::set<const DeclRefExpr*> allowed_;
  std::vector<const DeclRefExpr*> uses_;
};

class ThreadVisitor : public RecursiveASTVisitor<ThreadVisitor> {
public:
  ThreadVisitor(ASTContext& ctx, std::vector<PreparedFix>& out) : ctx_(ctx), out_(out) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl* d) {
    const SourceManager& sm = ctx_.getSourceManager();
    if (d && !isa<TranslationUnitDecl>(d)) {
      SourceLocation loc = d->getLocation();
      if (loc.isValid() && sm.isInSystemHeader(sm.getExpansionLoc(loc)))
        return true;
    }
    const auto* fd = dyn_cast_or_null<FunctionDecl>(d);
    if (fd && fd->isDependentContext())
      return true;
    const FunctionDecl* saved = fn_;
    if (fd)
      fn_ = fd;
    bool result = RecursiveASTVisitor::TraverseDecl(d);
    fn_ = saved;
    return result;
  }

  bool VisitVarDecl(VarDecl* vd) {
    bool jthread = false;
    if (!fn_ || !vd->isLocalVarDecl() || !api::isStdThread(vd->getType(), jthread) || jthread ||
        !vd->getTypeSourceInfo())
      return true;
    const Expr* init = vd->getInit();
    if (const auto* cleanups = dyn_cast_or_null<ExprWithCleanups>(init))
      init = cleanups->getSubExpr();
    const auto* ce = dyn_cast_or_null<CXXConstructExpr>(init);
    bool other = false;
    if (!ce || ce->getNumArgs() == 0 || api::isStdThread(ce->getArg(0)->getType(), other) ||
        !takesNoStopToken(ce->getArg(0)))
      return true;
    UseChecker uses(vd);
    uses.TraverseDecl(const_cast<FunctionDecl*>(fn_));
    uses.finish();
    if (!uses.onlyMemberCalls)
      return true;
    // The type as written must end in the name `thread` (not an alias, not auto).
    SourceLocation nameLoc = vd->getTypeSourceInfo()->getTypeLoc().getEndLoc();
    std::optional<std::string> name = fixes::text(ctx_, nameLoc, fixes::endOfToken(ctx_, nameLoc));
    if (!name || *name != "thread")
      return true;
    std::optional<Replacement> r =
        fixes::replace(ctx_, CharSourceRange::getCharRange(nameLoc, nameLoc), "j");
    if (!r)
      return true;
    Fix fix{"make " + quoted(vd->getNameAsString()) +
                " a std::jthread, which joins when it is destroyed instead of calling "
                "std::terminate",
            {std::move(*r)}};
    Location anchor = fixes::anchor(ctx_, ce->getBeginLoc());
    if (anchors_.insert(anchor).second)
      out_.push_back({"thread-not-joined", std::move(anchor), std::move(fix)});
    return true;
  }

private:
  ASTContext& ctx_;
  std::vector<PreparedFix>& out_;
  const FunctionDecl* fn_ = nullptr;
  std::set<Location> anchors_;
};

class JthreadFixPass : public FixPass {
public:
  std::string_view checkId() const override { return "thread-not-joined"; }
  void prepare(ASTContext& ctx, std::vector<PreparedFix>& out) const override {
    if (!ctx.getLangOpts().CPlusPlus20 || !fixes::declaredInStd(ctx, "jthread"))
      return;
    ThreadVisitor(ctx, out).TraverseDecl(ctx.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<FixPass> createJthreadFixPass() {
  return std::make_unique<JthreadFixPass>();
}

} // namespace threadcheck::checkers
