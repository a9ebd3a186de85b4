// semaphore-over-release: a release that provably pushes a semaphore past its bound.
// std::counting_semaphore<N>::release(n) requires the count to stay within max(): beyond it the
// behaviour is undefined (libstdc++ asserts in debug builds, otherwise the count silently
// exceeds the bound and N+1 threads pass). A POSIX semaphore set up as a pool of k (sem_init with
// k >= 1) and posted above k hands out more resources than exist. Only what holds on every path to
// the release is reported, with counts tracked per function (CounterFlow): a shared semaphore
// is assumed drained by other threads at every call that is not an operation on it.
#include "checks/Check.h"
#include "checks/CounterFlow.h"
#include "checks/SyncPrimitives.h"
#include "engine/ModelBuilder.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <map>
#include <set>

namespace threadcheck::checkers {
namespace {

using namespace clang;

enum class SemKind : uint8_t { Std, Posix };

struct SemInfo {
  SemKind kind = SemKind::Std;
  std::optional<int64_t> max;  // counting_semaphore<N>: N
  std::optional<int64_t> pool; // the initial count, when it is the intended bound
  bool shared = true;          // another thread may acquire it between two statements
  std::string name;
  unsigned declLine = 0;
};

// Which locals of a body only the body itself touches: a semaphore used only as the object of its
// own operations, never captured, referenced or passed on.
class BodyFacts {
public:
  explicit BodyFacts(const Stmt* body) { scan(body, false); }

  bool isLocal(const VarDecl* vd) const { return locals_.count(vd) > 0; }
  bool escapes(const VarDecl* vd) const { return escaped_.count(vd) > 0; }

private:
  void scan(const Stmt* s, bool inLambda) {
    if (!s)
      return;
    if (const auto* le = dyn_cast<LambdaExpr>(s)) {
      for (const LambdaCapture& c : le->captures())
        if (c.capturesVariable())
          if (const auto* vd = dyn_cast<VarDecl>(c.getCapturedVar()))
            escaped_.insert(vd);
      scan(le->getBody(), true);
      return;
    }
    if (const auto* ds = dyn_cast<DeclStmt>(s); ds && !inLambda)
      for (const Decl* d : ds->decls())
        if (const auto* vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage())
          locals_.insert(vd);
    if (const auto* call = dyn_cast<CallExpr>(s)) {
      // The object of a semaphore operation is a use that keeps it private; any other use
      // (a reference, an address passed on, a capture) lets another thread reach it.
      if (const auto* dre = directVar(call))
        allowed_.insert(dre);
    }
    if (const auto* dre = dyn_cast<DeclRefExpr>(s))
      if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()))
        if (inLambda || !allowed_.count(dre))
          escaped_.insert(vd);
    for (const Stmt* c : s->children())
      scan(c, inLambda);
  }

  // The DeclRefExpr naming the semaphore a sem_*/release/acquire call acts on directly.
  static const DeclRefExpr* directVar(const CallExpr* call) {
    const Expr* object = nullptr;
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
      const CXXMethodDecl* md = mc->getMethodDecl();
      if (!md || !sync::isStdRecord(md->getParent(), "counting_semaphore"))
        return nullptr;
      object = mc->getImplicitObjectArgument();
    } else if (const FunctionDecl* fd = call->getDirectCallee();
               fd && fd->getIdentifier() && fd->getName().starts_with("sem_") &&
               call->getNumArgs() > 0 &&
               (fd->getName() == "sem_post" || fd->getName() == "sem_wait" ||
                fd->getName() == "sem_trywait" || fd->getName() == "sem_timedwait" ||
                fd->getName() == "sem_init" || fd->getName() == "sem_destroy" ||
                fd->getName() == "sem_clockwait")) {
      object = call->getArg(0);
    }
    return dyn_cast_or_null<DeclRefExpr>(sync::designatedObject(object));
  }

  std::set<const VarDecl*> locals_, escaped_;
  std::set<const DeclRefExpr*> allowed_;
};

class SemaphoreClient : public sync::CounterClient {
public:
  SemaphoreClient(ASTContext& ctx, const Stmt* body, std::string function,
                  std::vector<Finding>& out)
      : ctx_(ctx), facts_(body), function_(std::move(function)), out_(out) {
    findAcquired(body);
  }

  void onVarDecl(const VarDecl* vd, sync::CounterState& st, bool) override {
    auto max = sync::semaphoreMax(vd->getType());
    if (!max || vd->getType()->isReferenceType() || !vd->hasLocalStorage())
      return;
    std::optional<int64_t> initial;
    if (const auto* ce = dyn_cast_or_null<CXXConstructExpr>(vd->getInit());
        ce && ce->getNumArgs() > 0) {
      Expr::EvalResult r;
      if (!ce->getArg(0)->isValueDependent() && ce->getArg(0)->EvaluateAsInt(r, ctx_))
        initial = r.Val.getInt().getExtValue();
    }
    SemInfo info;
    info.max = max;
    info.shared = facts_.escapes(vd);
    // A pool: it starts full and the function takes from it, so giving back more than it took is
    // a bug even below the type's maximum.
    if (initial && *initial >= 1 && acquiredVars_.count(vd))
      info.pool = initial;
    info.name = vd->getNameAsString();
    info.declLine = lineOf(vd->getLocation());
    std::string key = vd->getNameAsString();
    infos_[key] = info;
    st[key].low = initial.value_or(0);
  }

  void onCall(const Expr* e, sync::CounterState& st, bool reporting) override {
    const auto* call = dyn_cast<CallExpr>(e);
    std::optional<sync::CountCall> cc;
    std::optional<sync::ObjectPath> path;
    if (call) {
      cc = sync::classifyCountCall(call, ctx_);
      if (cc && (cc->op == sync::CountOp::LatchCountDown || cc->op == sync::CountOp::BarrierArrive))
        cc.reset();
      if (cc)
        path = sync::objectPath(cc->object);
    }
    std::string self = path ? path->text : std::string();
    // Any other call may block while another thread takes from a shared semaphore.
    for (auto& [key, counter] : st)
      if (key != self && infos_[key].shared)
        counter.low = 0;
    if (!cc || !path)
      return;
    const std::string& key = path->text;
    if (cc->op == sync::CountOp::SemInit) {
      if (cc->amount && *cc->amount >= 1) {
        SemInfo info;
        info.kind = SemKind::Posix;
        info.pool = cc->amount;
        info.shared = !isPrivateLocal(*path);
        info.name = sync::spelling(sync::designatedObject(cc->object), ctx_);
        info.declLine = lineOf(call->getBeginLoc());
        infos_[key] = info;
        st[key].low = *cc->amount;
      } else {
        st.erase(key);
        infos_.erase(key);
      }
      return;
    }
    if (cc->op == sync::CountOp::SemDestroy) {
      st.erase(key);
      return;
    }
    auto it = st.find(key);
    if (it == st.end()) {
      // A semaphore first met here: a std one has its type's bound and a count of at least 0; a
      // POSIX one has no bound this function knows of.
      const Expr* object = sync::designatedObject(cc->object);
      auto max = object ? sync::semaphoreMax(object->getType()) : std::nullopt;
      if (!max || reported_.count(key))
        return;
      if (!infos_.count(key)) {
        SemInfo info;
        info.max = max;
        info.shared = !isPrivateLocal(*path);
        info.name = sync::spelling(object, ctx_);
        infos_[key] = info;
      }
      it = st.emplace(key, sync::Counter{}).first;
    }
    sync::Counter& c = it->second;
    if (cc->op == sync::CountOp::SemAcquire) {
      c.low = std::max<int64_t>(0, c.low - 1);
      return;
    }
    if (!cc->amount || *cc->amount < 0)
      return;
    const SemInfo& info = infos_[key];
    int64_t after = c.low + *cc->amount;
    std::optional<int64_t> bound = info.pool ? info.pool : info.max;
    if (info.pool && info.max)
      bound = std::min(*info.pool, *info.max);
    if (bound && after > *bound && reporting && !reported_.count(key)) {
      reported_.insert(key);
      report(call, info, c.low, *cc->amount, *bound);
    }
    c.low = after;
  }

private:
  bool isPrivateLocal(const sync::ObjectPath& path) const {
    const auto* vd = dyn_cast_or_null<VarDecl>(path.base);
    return vd && facts_.isLocal(vd) && !facts_.escapes(vd);
  }

  void findAcquired(const Stmt* s) {
    if (!s)
      return;
    if (const auto* call = dyn_cast<CallExpr>(s))
      if (auto cc = sync::classifyCountCall(call, ctx_); cc && cc->op == sync::CountOp::SemAcquire)
        if (auto path = sync::objectPath(cc->object))
          if (const auto* vd = dyn_cast_or_null<VarDecl>(path->base))
            acquiredVars_.insert(vd);
    for (const Stmt* c : s->children())
      findAcquired(c);
  }

  unsigned lineOf(SourceLocation loc) const {
    const SourceManager& sm = ctx_.getSourceManager();
    return sm.getPresumedLineNumber(sm.getExpansionLoc(loc));
  }

  void report(const CallExpr* call, const SemInfo& info, int64_t before, int64_t n, int64_t bound) {
    std::string name = quoted(info.name);
    std::string what = sync::spelling(call, ctx_);
    std::string msg;
    if (info.pool && bound == *info.pool) {
      msg = quoted(what) + " raises " + name + " to at least " + std::to_string(before + n) +
            ", above the " + std::to_string(bound) + " it was created with" +
            (info.declLine ? " at line " + std::to_string(info.declLine) : std::string()) +
            ": on this path it is released more often than it was acquired, so " +
            std::to_string(before + n) + " threads can now hold a resource there are only " +
            std::to_string(bound) + " of";
    } else {
      msg = quoted(what) + " raises " + name + " to at least " + std::to_string(before + n) +
            ", above its maximum of " + std::to_string(bound) +
            (before > 0 ? " (it is at least " + std::to_string(before) +
                              " here: released on this path with no acquire since)"
                        : std::string()) +
            ": releasing a counting_semaphore beyond max() is undefined behaviour";
    }
    Finding f;
    f.checkId = "semaphore-over-release";
    f.loc = model::toLocation(toModelLoc(ctx_, call->getBeginLoc()));
    f.message = std::move(msg);
    f.function = function_;
    out_.push_back(std::move(f));
  }

  ASTContext& ctx_;
  BodyFacts facts_;
  std::string function_;
  std::vector<Finding>& out_;
  std::map<std::string, SemInfo> infos_;
  std::set<std::string> reported_;
  std::set<const VarDecl*> acquiredVars_;
};

class SemaphoreOverReleaseCheck : public AstCheck {
public:
  std::string_view id() const override { return "semaphore-over-release"; }
  void check(ASTContext& ctx, std::vector<Finding>& out) const override {
    sync::forEachBody(ctx, [&](const Stmt* body, const std::string& function) {
      if (!mentionsSemaphore(body))
        return;
      SemaphoreClient client(ctx, body, function, out);
      sync::CounterFlow(ctx, client).run(body, {}, true);
    });
  }

private:
  // Most bodies never touch a semaphore: skip them before any analysis.
  static bool mentionsSemaphore(const Stmt* s) {
    if (!s)
      return false;
    if (const auto* call = dyn_cast<CallExpr>(s)) {
      if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
        if (const CXXMethodDecl* md = mc->getMethodDecl();
            md && sync::isStdRecord(md->getParent(), "counting_semaphore"))
          return true;
      } else if (const FunctionDecl* fd = call->getDirectCallee();
                 fd && fd->getIdentifier() && fd->getName() == "sem_post") {
        return true;
      }
    }
    if (isa<LambdaExpr>(s))
      return false;
    for (const Stmt* c : s->children())
      if (mentionsSemaphore(c))
        return true;
    return false;
  }
};

} // namespace

std::unique_ptr<AstCheck> createSemaphoreOverReleaseCheck() {
  return std::make_unique<SemaphoreOverReleaseCheck>();
}

} // namespace threadcheck::checkers
