// A small must-analysis over one function body for counters that only the program's own calls
// move: a semaphore's count, the count-downs of a latch, the threads arriving at a barrier. For
// each object (named by its path from a variable, "s", "this.slots") it keeps a lower bound that
// holds on every path reaching a point, so a client reports only what is certain once the path gets
// there. It walks the AST in evaluation order: branches join by taking the minimum, loops with a
// constant trip count are unrolled, other loops are entered once and then widened, and functions
// with goto are skipped.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/Stmt.h>
#include <clang/AST/StmtCXX.h>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace threadcheck::checkers::sync {

struct Counter {
  int64_t low = 0;          // lower bound of the counter on every path to here
  bool selfCounted = false; // this thread has already been counted (barrier participants)
};
using CounterState = std::map<std::string, Counter>;

class CounterClient {
public:
  virtual ~CounterClient() = default;
  // A call or a construction, after its arguments were evaluated. `report` is false while the
  // flow only explores (a second loop iteration, a thread body whose effect is being summed).
  virtual void onCall(const clang::Expr* callOrConstruct, CounterState& state, bool report) = 0;
  // A local variable after its initialiser.
  virtual void onVarDecl(const clang::VarDecl* vd, CounterState& state, bool report) = 0;
};

class CounterFlow {
public:
  CounterFlow(clang::ASTContext& ctx, CounterClient& client) : ctx_(ctx), client_(client) {}

  // Evaluates `body` from `entry`; returns the state joined over every way out of it (returns,
  // throws and falling off the end), or nullopt if the body cannot be analysed.
  std::optional<CounterState> run(const clang::Stmt* body, CounterState entry, bool report);

private:
  using MaybeState = std::optional<CounterState>;

  MaybeState stmt(const clang::Stmt* s, CounterState st);
  void expr(const clang::Expr* e, CounterState& st);
  MaybeState loop(const clang::Stmt* body, const clang::Expr* cond, const clang::Stmt* inc,
                  CounterState st, std::optional<int64_t> trips, bool atLeastOnce);
  std::optional<int64_t> tripCount(const clang::ForStmt* f) const;
  std::optional<int64_t> tripCount(const clang::CXXForRangeStmt* f) const;

  static MaybeState join(MaybeState a, const MaybeState& b);
  static CounterState widen(const CounterState& before, const MaybeState& after);

  clang::ASTContext& ctx_;
  CounterClient& client_;
  bool report_ = true;
  std::vector<CounterState> exits_;
  // Per enclosing loop or switch: the states at its breaks and continues.
  std::vector<std::vector<CounterState>> jumps_;
};

// Calls `fn` with every body of the user's code in the unit (functions, template instantiations,
// lambdas), outside system headers, with the qualified name of the function it belongs to.
void forEachBody(
    clang::ASTContext& ctx,
    const std::function<void(const clang::Stmt* body, const std::string& function)>& fn);

} // namespace threadcheck::checkers::sync
