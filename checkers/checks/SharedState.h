// Whether an expression reads state that another thread can change: the test a condition-variable
// wait loop must repeat after every wakeup. Plain locals that nothing else can see are not shared;
// globals, members, anything behind a pointer or reference, calls, and locals whose address
// escapes (or that the loop refreshes from shared state) are.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>
#include <set>

namespace threadcheck::checkers::sync {

class SharedStateOracle {
public:
  // `root` is the body of the function (or lambda) the expressions belong to.
  explicit SharedStateOracle(const clang::Stmt* root);

  // `region` is where a plain local may be refreshed (the loop that re-tests it).
  bool readsShared(const clang::Expr* e, const clang::Stmt* region) const;

private:
  bool reads(const clang::Stmt* s, const clang::Stmt* region, int depth) const;
  bool localRefreshedFromShared(const clang::VarDecl* vd, const clang::Stmt* region,
                                int depth) const;

  std::set<const clang::VarDecl*> escaped_;
};

// A constant condition (`true`, `1`) or none at all, as in `for (;;)`.
bool isConstantTrue(const clang::Expr* cond);

} // namespace threadcheck::checkers::sync
