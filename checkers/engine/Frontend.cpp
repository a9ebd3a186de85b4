#include "threadcheck/checkers/Frontend.h"

#include "checks/Check.h"
#include "engine/Model.h"
#include "engine/ModelBuilder.h"
#include "engine/ThreadingApi.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Lex/Lexer.h>

#include <set>

namespace threadcheck::checkers {
namespace {

using namespace clang;

// Finds every function body of the user's code, template instantiations and lambdas included.
class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  FunctionCollector(ASTContext& ctx, TranslationUnitFacts& out) : ctx_(ctx), out_(out) {}

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

  bool VisitFunctionDecl(FunctionDecl* fd) {
    consider(fd);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* le) {
    consider(le->getCallOperator());
    return true;
  }
  bool VisitVarDecl(VarDecl* vd) {
    recordStaticInitialiser(vd);
    return true;
  }

private:
  bool inSystemHeader(SourceLocation loc) const {
    const SourceManager& sm = ctx_.getSourceManager();
    return loc.isInvalid() || sm.isInSystemHeader(sm.getExpansionLoc(loc));
  }

  void consider(const FunctionDecl* fd) {
    if (!fd || !fd->doesThisDeclarationHaveABody() || fd->isDependentContext() ||
        fd->isInvalidDecl() || fd->isImplicit() || inSystemHeader(fd->getLocation()))
      return;
    if (!seen_.insert(fd).second)
      return;
    if (auto model = buildFunctionModel(ctx_, fd, out_.lockInits))
      out_.functions.push_back(std::move(model));
  }

  // PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP leaves no trace in the AST but its spelling.
  void recordStaticInitialiser(const VarDecl* vd) {
    if (!vd->getInit() || inSystemHeader(vd->getLocation()))
      return;
    std::string type = api::lockTypeName(vd->getType());
    if (type != "pthread_mutex_t")
      return;
    const SourceManager& sm = ctx_.getSourceManager();
    SourceLocation begin = sm.getExpansionLoc(vd->getInit()->getBeginLoc());
    SourceLocation end = sm.getExpansionLoc(vd->getInit()->getEndLoc());
    llvm::StringRef text = Lexer::getSourceText(CharSourceRange::getTokenRange(begin, end), sm,
                                                ctx_.getLangOpts());
    if (text.contains("RECURSIVE"))
      out_.lockInits.push_back({api::qualifiedName(vd), model::Recursion::Yes});
  }

  ASTContext& ctx_;
  TranslationUnitFacts& out_;
  std::set<const FunctionDecl*> seen_;
};

class FactsConsumer : public ASTConsumer {
public:
  FactsConsumer(TranslationUnitFacts& out, const CheckFilter& filter)
      : out_(out), filter_(filter) {}

  void HandleTranslationUnit(ASTContext& ctx) override {
    FunctionCollector(ctx, out_).TraverseDecl(ctx.getTranslationUnitDecl());
    for (const auto& check : createAstChecks())
      if (filter_.enabled(check->id())) {
        check->check(ctx, out_.localFindings);
        check->collect(ctx, out_);
      }
    for (const auto& pass : createFixPasses())
      if (filter_.enabled(pass->checkId()))
        pass->prepare(ctx, out_.preparedFixes);
  }

private:
  TranslationUnitFacts& out_;
  const CheckFilter& filter_;
};

class FactsAction : public ASTFrontendAction {
public:
  FactsAction(TranslationUnitFacts& out, const CheckFilter& filter) : out_(out), filter_(filter) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance&, llvm::StringRef file) override {
    out_.mainFile = file.str();
    return std::make_unique<FactsConsumer>(out_, filter_);
  }

private:
  TranslationUnitFacts& out_;
  const CheckFilter& filter_;
};

} // namespace

std::unique_ptr<FrontendAction> createFactsAction(TranslationUnitFacts& out,
                                                  const CheckFilter& filter) {
  return std::make_unique<FactsAction>(out, filter);
}

} // namespace threadcheck::checkers
