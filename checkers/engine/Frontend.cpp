#include "threadcheck/checkers/Frontend.h"

#include "engine/Model.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/ASTContext.h>
#include <clang/Frontend/FrontendAction.h>

namespace threadcheck::checkers {
namespace {

class FactsConsumer : public clang::ASTConsumer {
public:
  explicit FactsConsumer(TranslationUnitFacts& out) : out_(out) {}
  void HandleTranslationUnit(clang::ASTContext&) override {}

private:
  TranslationUnitFacts& out_;
};

class FactsAction : public clang::ASTFrontendAction {
public:
  FactsAction(TranslationUnitFacts& out, const CheckFilter& filter) : out_(out), filter_(filter) {}
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&,
                                                        llvm::StringRef file) override {
    out_.mainFile = file.str();
    return std::make_unique<FactsConsumer>(out_);
  }

private:
  TranslationUnitFacts& out_;
  const CheckFilter& filter_;
};

} // namespace

std::unique_ptr<clang::FrontendAction> createFactsAction(TranslationUnitFacts& out,
                                                         const CheckFilter& filter) {
  return std::make_unique<FactsAction>(out, filter);
}

} // namespace threadcheck::checkers
