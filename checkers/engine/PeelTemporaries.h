// The expression a guard, thread or counter is built from, seen through the temporaries, casts
// and full-expression wrappers the AST puts around it; shared by the model builder and the checks
// that match on it.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

namespace threadcheck::checkers {

// With `elidableCopies`, also through the copies and moves the compiler elides (a value
// initialised from a temporary of its own type), to reach the expression that produces the value.
inline const clang::Expr* peelTemporaries(const clang::Expr* e, bool elidableCopies = false) {
  using namespace clang;
  while (e) {
    e = e->IgnoreParenImpCasts();
    if (const auto* x = dyn_cast<ExprWithCleanups>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<MaterializeTemporaryExpr>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<CXXBindTemporaryExpr>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<CXXFunctionalCastExpr>(e))
      e = x->getSubExpr();
    else if (const auto* x = dyn_cast<CXXConstructExpr>(e);
             elidableCopies && x && x->isElidable() && x->getNumArgs() == 1)
      e = x->getArg(0);
    else
      break;
  }
  return e;
}

} // namespace threadcheck::checkers
