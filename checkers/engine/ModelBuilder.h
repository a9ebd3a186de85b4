// Turns one function's AST into a model::FunctionModel over its clang::CFG.
#pragma once

#include "engine/Model.h"

#include <clang/Basic/SourceLocation.h>

#include <memory>
#include <vector>

namespace clang {
class ASTContext;
class FunctionDecl;
} // namespace clang

namespace threadcheck::checkers {

// Returns nullptr when the function has no CFG (invalid code). Mutex initialisations that make a
// declaration recursive are appended to `inits`.
std::unique_ptr<model::FunctionModel> buildFunctionModel(clang::ASTContext& ctx,
                                                         const clang::FunctionDecl* fn,
                                                         std::vector<model::LockInitFact>& inits);

// Where a source location is, as an interned model::Loc (macro expansions resolve to where the
// macro was used).
model::Loc toModelLoc(clang::ASTContext& ctx, clang::SourceLocation loc);

} // namespace threadcheck::checkers
