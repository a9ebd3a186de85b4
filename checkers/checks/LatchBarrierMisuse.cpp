// latch-barrier-misuse: a std::latch counted down more often than its expected count, or a
// std::barrier with more participating threads than it was created for, where the counts are
// visible in one function: its own count_down/arrive calls and the threads it starts (a lambda
// or function passed to std::thread, std::jthread, emplace_back into a vector of threads, or
// std::async), loops with a constant trip count unrolled. Decrementing a latch below zero is
// undefined behaviour; an extra arrival at a barrier starts the next phase, which never completes,
// so that thread (and whoever joins it) waits forever.
#include "checks/Check.h"
#include "checks/CounterFlow.h"
#include "checks/SyncPrimitives.h"
#include "engine/ModelBuilder.h"
#include "engine/PeelTemporaries.h"
#include "engine/ThreadingApi.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Basic/SourceManager.h>
#include <map>
#include <set>

namespace threadcheck::checkers {
namespace {

using namespace clang;

enum class Kind : uint8_t { Latch, Barrier };

struct Expected {
  Kind kind;
  int64_t count;
  unsigned line;
  std::string name;
};

// Also through '&': a thread launched with '&f' names the same entry as 'f'.
const Expr* peel(const Expr* e) {
  for (;;) {
    e = peelTemporaries(e);
    const auto* x = dyn_cast_or_null<UnaryOperator>(e);
    if (!x || x->getOpcode() != UO_AddrOf)
      return e;
    e = x->getSubExpr();
  }
}

bool isThreadType(QualType t) {
  if (t->isPointerType())
    return false;
  const CXXRecordDecl* rd = t.getNonReferenceType()->getAsCXXRecordDecl();
  return sync::isStdRecord(rd, "thread") || sync::isStdRecord(rd, "jthread");
}

// A container of threads: its first template argument is std::thread or std::jthread.
bool holdsThreads(QualType t) {
  const auto* spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      t.getNonReferenceType()->getAsCXXRecordDecl());
  if (!spec || spec->getTemplateArgs().size() == 0)
    return false;
  const TemplateArgument& a = spec->getTemplateArgs()[0];
  return a.getKind() == TemplateArgument::Type && isThreadType(a.getAsType());
}

// The body a call or construction runs on a new thread, if it starts one.
const Stmt* launchedBody(const Expr* e) {
  const Expr* callable = nullptr;
  if (const auto* ce = dyn_cast<CXXConstructExpr>(e)) {
    if (!isThreadType(ce->getType()) || ce->getNumArgs() == 0)
      return nullptr;
    callable = ce->getArg(0);
    // Copying or moving a thread starts nothing.
    if (isThreadType(peel(callable)->getType()))
      return nullptr;
  } else if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) {
    const CXXMethodDecl* md = mc->getMethodDecl();
    if (!md || !md->getIdentifier() || mc->getNumArgs() == 0 ||
        !(md->getName() == "emplace_back" || md->getName() == "emplace" ||
          md->getName() == "push_back") ||
        !holdsThreads(mc->getImplicitObjectArgument()->getType()))
      return nullptr;
    callable = mc->getArg(mc->getNumArgs() - 1 < 1 ? 0 : (md->getName() == "emplace" ? 1 : 0));
    if (isThreadType(peel(callable)->getType()))
      return nullptr; // push_back(std::thread(...)): the construction is the launch
  } else if (const auto* call = dyn_cast<CallExpr>(e)) {
    const FunctionDecl* fd = call->getDirectCallee();
    if (!fd || api::qualifiedName(fd) != "std::async")
      return nullptr;
    for (const Expr* a : call->arguments())
      if (isa<LambdaExpr>(peel(a)) || isa<DeclRefExpr>(peel(a)))
        if (!peel(a)->getType()->isEnumeralType()) {
          callable = a;
          break;
        }
  }
  if (!callable)
    return nullptr;
  callable = peel(callable);
  if (const auto* le = dyn_cast<LambdaExpr>(callable))
    return le->getBody();
  if (const auto* dre = dyn_cast<DeclRefExpr>(callable))
    if (const auto* fd = dyn_cast<FunctionDecl>(dre->getDecl()))
      if (const FunctionDecl* def = fd->getDefinition())
        return def->getBody();
  return nullptr;
}

class LatchBarrierClient : public sync::CounterClient {
public:
  LatchBarrierClient(ASTContext& ctx, std::string function, std::vector<Finding>* out, int depth)
      : ctx_(ctx), function_(std::move(function)), out_(out), depth_(depth) {}

  void onVarDecl(const VarDecl* vd, sync::CounterState& st, bool) override {
    if (auto e = expectedOf(vd)) {
      declared_.insert(vd->getNameAsString());
      expected_[vd->getNameAsString()] = *e;
      st[vd->getNameAsString()] = sync::Counter{};
    }
  }

  void onCall(const Expr* e, sync::CounterState& st, bool report) override {
    if (const auto* call = dyn_cast<CallExpr>(e))
      if (auto cc = sync::classifyCountCall(call, ctx_)) {
        if (cc->op == sync::CountOp::LatchCountDown || cc->op == sync::CountOp::BarrierArrive)
          own(call, *cc, st, report);
        return;
      }
    if (depth_ >= 3)
      return;
    const Stmt* body = launchedBody(e);
    if (!body)
      return;
    // What one run of the thread certainly does to each latch and barrier.
    LatchBarrierClient inner(ctx_, function_, nullptr, depth_ + 1);
    auto exit = sync::CounterFlow(ctx_, inner).run(body, {}, false);
    if (!exit)
      return;
    for (const auto& [key, c] : *exit) {
      // The thread's own latches are not the ones this function counts.
      if (inner.declared_.count(key))
        continue;
      if (!expected_.count(key))
        if (auto it = inner.expected_.find(key); it != inner.expected_.end())
          expected_.insert(*it);
      Kind kind = inner.kinds_[key];
      int64_t add = kind == Kind::Latch ? c.low : (c.selfCounted ? 1 : 0);
      if (add <= 0)
        continue;
      sync::Counter& outer = st[key];
      kinds_[key] = kind;
      outer.low += add;
      check(e, key, outer.low, report, /*byThread=*/true);
    }
  }

private:
  void own(const CallExpr* call, const sync::CountCall& cc, sync::CounterState& st, bool report) {
    auto path = sync::objectPath(cc.object);
    if (!path)
      return;
    const std::string& key = path->text;
    Kind kind = cc.op == sync::CountOp::LatchCountDown ? Kind::Latch : Kind::Barrier;
    kinds_[key] = kind;
    if (!expected_.count(key))
      if (const auto* vd = dyn_cast_or_null<VarDecl>(path->base);
          vd && vd == path->last && vd->hasGlobalStorage())
        if (auto e = expectedOf(vd))
          expected_[key] = *e;
    sync::Counter& c = st[key];
    if (kind == Kind::Latch) {
      if (!cc.amount)
        return;
      c.low += *cc.amount;
    } else {
      // A thread counts once per phase, however often it arrives.
      if (c.selfCounted)
        return;
      c.selfCounted = true;
      c.low += 1;
    }
    check(call, key, c.low, report, false);
  }

  std::optional<Expected> expectedOf(const VarDecl* vd) const {
    Kind kind;
    if (sync::isLatch(vd->getType()))
      kind = Kind::Latch;
    else if (sync::isBarrier(vd->getType()))
      kind = Kind::Barrier;
    else
      return std::nullopt;
    const auto* ce = dyn_cast_or_null<CXXConstructExpr>(peel(vd->getInit()));
    if (!ce || ce->getNumArgs() == 0 || vd->getType()->isReferenceType())
      return std::nullopt;
    Expr::EvalResult r;
    if (ce->getArg(0)->isValueDependent() || !ce->getArg(0)->EvaluateAsInt(r, ctx_))
      return std::nullopt;
    const SourceManager& sm = ctx_.getSourceManager();
    return Expected{kind, r.Val.getInt().getExtValue(),
                    sm.getPresumedLineNumber(sm.getExpansionLoc(vd->getLocation())),
                    vd->getNameAsString()};
  }

  void check(const Expr* at, const std::string& key, int64_t total, bool report, bool byThread) {
    auto it = expected_.find(key);
    if (!report || !out_ || it == expected_.end() || total <= it->second.count ||
        reported_.count(key))
      return;
    reported_.insert(key);
    const Expected& x = it->second;
    std::string where =
        " (created with " + std::to_string(x.count) + " at line " + std::to_string(x.line) + ")";
    std::string msg;
    if (x.kind == Kind::Latch) {
      msg = (byThread ? std::string("the thread started here brings")
                      : quoted(sync::spelling(at, ctx_)) + " brings") +
            " latch " + quoted(x.name) + " to at least " + std::to_string(total) +
            " count-downs on this path, more than its expected count" + where +
            ": decrementing a latch below zero is undefined behaviour, and its waiters were "
            "released before all the work they wait for was done";
    } else {
      msg = std::string(byThread ? "with the thread started here, " : "with this thread, ") +
            "at least " + std::to_string(total) + " threads arrive at barrier " + quoted(x.name) +
            " in one phase, more than its expected count" + where +
            ": the extra arrivals begin the next phase, which never completes, so those threads "
            "wait forever";
    }
    Finding f;
    f.checkId = "latch-barrier-misuse";
    f.loc = model::toLocation(toModelLoc(ctx_, at->getBeginLoc()));
    f.message = std::move(msg);
    f.function = function_;
    out_->push_back(std::move(f));
  }

  ASTContext& ctx_;
  std::string function_;
  std::vector<Finding>* out_;
  int depth_;
  std::map<std::string, Expected> expected_;
  std::map<std::string, Kind> kinds_;
  std::set<std::string> reported_;
  std::set<std::string> declared_; // latches and barriers declared in this body
};

// Latches and barriers, or threads that may use them (a global latch in a thread function).
bool mentionsLatchOrBarrier(const Stmt* s) {
  if (!s)
    return false;
  if (isa<CallExpr, CXXConstructExpr>(s) && launchedBody(cast<Expr>(s)))
    return true;
  if (const auto* dre = dyn_cast<DeclRefExpr>(s))
    if (sync::isLatch(dre->getType()) || sync::isBarrier(dre->getType()))
      return true;
  if (const auto* me = dyn_cast<MemberExpr>(s))
    if (sync::isLatch(me->getType()) || sync::isBarrier(me->getType()))
      return true;
  for (const Stmt* c : s->children())
    if (mentionsLatchOrBarrier(c))
      return true;
  return false;
}

class LatchBarrierMisuseCheck : public AstCheck {
public:
  std::string_view id() const override { return "latch-barrier-misuse"; }
  void check(ASTContext& ctx, std::vector<Finding>& out) const override {
    if (!ctx.getLangOpts().CPlusPlus)
      return;
    sync::forEachBody(ctx, [&](const Stmt* body, const std::string& function) {
      if (!mentionsLatchOrBarrier(body))
        return;
      LatchBarrierClient client(ctx, function, &out, 0);
      sync::CounterFlow(ctx, client).run(body, {}, true);
    });
  }
};

} // namespace

std::unique_ptr<AstCheck> createLatchBarrierMisuseCheck() {
  return std::make_unique<LatchBarrierMisuseCheck>();
}

} // namespace threadcheck::checkers
