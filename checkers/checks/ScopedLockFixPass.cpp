// The fix for lock-not-released on exception paths ("if 'push_back' throws, 'm' stays locked"):
// a manual `m.lock(); ... m.unlock();` pair in one block becomes a std::scoped_lock (a
// std::lock_guard before C++17) over the same statements, in a block of its own when statements
// follow the unlock, so an exception between them releases the lock. The pass runs per unit while
// the AST is alive; lock-not-released attaches the fix to its findings about the lock taken at
// the `lock()` call (the anchor).
#include "checks/Check.h"
#include "checks/FixSupport.h"
#include "engine/ThreadingApi.h"
#include "threadcheck/checkers/Facts.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>
#include <set>

namespace threadcheck::checkers {
namespace {

using namespace clang;

// `X.lock();` or `X.unlock();` as a whole statement, on a standard mutex or a user type with
// lock() and unlock().
struct ManualCall {
  const CXXMemberCallExpr* call = nullptr;
  const Expr* object = nullptr; // X, or the pointer to it
  bool arrow = false;
};

std::optional<ManualCall> manualCall(const Stmt* s, llvm::StringRef method) {
  const auto* call = dyn_cast<CXXMemberCallExpr>(s);
  if (!call || call->getNumArgs() != 0)
    return std::nullopt;
  const CXXMethodDecl* md = call->getMethodDecl();
  const auto* callee = dyn_cast<MemberExpr>(call->getCallee()->IgnoreParens());
  if (!md || !md->getIdentifier() || md->getName() != method || !callee)
    return std::nullopt;
  std::optional<api::PrimitiveCall> prim = api::classifyPrimitive(call);
  bool standard =
      prim && (prim->op == api::PrimitiveOp::Lock || prim->op == api::PrimitiveOp::Unlock);
  if (!standard && !api::isUserLockable(md->getParent()))
    return std::nullopt;
  return ManualCall{call, callee->getBase(), callee->isArrow()};
}

// The identity of the object a lock()/unlock() is called on, for pairing the two: declarations
// along a chain of members, `this` and dereferences. Anything else (calls, indexing) could name
// another object the second time.
std::optional<std::string> objectKey(const Expr* e) {
  e = e->IgnoreParenImpCasts();
  auto id = [](const void* p) { return std::to_string(reinterpret_cast<uintptr_t>(p)); };
  if (const auto* dre = dyn_cast<DeclRefExpr>(e))
    return "d" + id(dre->getDecl()->getCanonicalDecl());
  if (const auto* me = dyn_cast<MemberExpr>(e)) {
    std::optional<std::string> base = objectKey(me->getBase());
    if (!base)
      return std::nullopt;
    return *base + (me->isArrow() ? "->" : ".") + id(me->getMemberDecl()->getCanonicalDecl());
  }
  if (isa<CXXThisExpr>(e))
    return "this";
  if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_Deref) {
    std::optional<std::string> sub = objectKey(uo->getSubExpr());
    return sub ? std::optional<std::string>("*" + *sub) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> pairKey(const ManualCall& c) {
  std::optional<std::string> key = objectKey(c.object);
  return key ? std::optional<std::string>(*key + (c.arrow ? "->" : ".")) : std::nullopt;
}

// A jump out of the statements between lock and unlock leaves the lock held today; a guard
// would release it, which changes behaviour beyond the exception path. Such pairs are left alone.
bool leavesRange(const Stmt* s, bool inLoop, bool inSwitch) {
  if (!s)
    return false;
  if (isa<ReturnStmt, GotoStmt, IndirectGotoStmt, CoreturnStmt>(s))
    return true;
  if (isa<BreakStmt>(s))
    return !inLoop && !inSwitch;
  if (isa<ContinueStmt>(s))
    return !inLoop;
  if (isa<LambdaExpr>(s))
    return false; // its returns leave the lambda
  if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(s))
    inLoop = true;
  if (isa<SwitchStmt>(s))
    inSwitch = true;
  for (const Stmt* c : s->children())
    if (leavesRange(c, inLoop, inSwitch))
      return true;
  return false;
}

class PairVisitor : public RecursiveASTVisitor<PairVisitor> {
public:
  PairVisitor(ASTContext& ctx, std::vector<PreparedFix>& out)
      : ctx_(ctx), sm_(ctx.getSourceManager()), out_(out),
        hasScopedLock_(ctx.getLangOpts().CPlusPlus17 && fixes::declaredInStd(ctx, "scoped_lock")),
        hasLockGuard_(fixes::declaredInStd(ctx, "lock_guard")) {}

  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseDecl(Decl* d) {
    if (d && !isa<TranslationUnitDecl>(d)) {
      SourceLocation loc = d->getLocation();
      if (loc.isValid() && sm_.isInSystemHeader(sm_.getExpansionLoc(loc)))
        return true;
    }
    const auto* fd = dyn_cast_or_null<FunctionDecl>(d);
    // Dependent bodies are not analysed (their instantiations are), so they get no findings.
    if (fd && fd->isDependentContext())
      return true;
    const FunctionDecl* saved = fn_;
    if (fd)
      fn_ = fd;
    bool result = RecursiveASTVisitor::TraverseDecl(d);
    fn_ = saved;
    return result;
  }

  bool VisitCompoundStmt(CompoundStmt* cs) {
    if (!fn_)
      return true;
    for (size_t i = 0; i < cs->size(); ++i)
      if (std::optional<ManualCall> lock = manualCall(cs->body_begin()[i], "lock"))
        if (std::optional<Fix> fix = pairFix(cs, i, *lock)) {
          Location anchor = fixes::anchor(ctx_, lock->call->getExprLoc());
          if (anchors_.insert(anchor).second)
            out_.push_back({"lock-not-released", std::move(anchor), std::move(*fix)});
        }
    return true;
  }

private:
  std::optional<Fix> pairFix(const CompoundStmt* cs, size_t i, const ManualCall& lock) {
    std::optional<std::string> key = pairKey(lock);
    const ValueDecl* leaf = fixes::leafDecl(lock.object);
    if (!key || !leaf)
      return std::nullopt;
    // The first later statement that touches the mutex must be its unlock.
    size_t j = i + 1;
    for (; j < cs->size(); ++j)
      if (fixes::mentions(cs->body_begin()[j], leaf))
        break;
    if (j == cs->size())
      return std::nullopt;
    std::optional<ManualCall> unlock = manualCall(cs->body_begin()[j], "unlock");
    if (!unlock || pairKey(*unlock) != key)
      return std::nullopt;
    for (size_t k = i + 1; k < j; ++k)
      if (leavesRange(cs->body_begin()[k], false, false))
        return std::nullopt;
    if (fixes::hasJumpTargets(cs, i + 1, j + 1))
      return std::nullopt;
    bool wrap = j + 1 < cs->size();
    if (wrap && !localsStayInside(cs, i, j))
      return std::nullopt;

    std::optional<std::string> guard = guardType(lock);
    std::optional<std::string> mutex = mutexSpelling(lock);
    if (!guard || !mutex)
      return std::nullopt;
    std::string name = fixes::freshName(ctx_, fixes::namesUsedIn(ctx_, fn_));
    std::string declaration = *guard + " " + name + "(" + *mutex + ");";

    std::optional<SourceLocation> lockSemi = fixes::semicolonAfter(ctx_, lock.call->getEndLoc());
    std::optional<SourceLocation> unlockSemi =
        fixes::semicolonAfter(ctx_, unlock->call->getEndLoc());
    if (!lockSemi || !unlockSemi)
      return std::nullopt;
    SourceLocation lockBegin = lock.call->getBeginLoc();
    SourceLocation lockEnd = fixes::endOfToken(ctx_, *lockSemi);
    SourceLocation unlockBegin = unlock->call->getBeginLoc();
    SourceLocation unlockEnd = fixes::endOfToken(ctx_, *unlockSemi);

    Fix fix;
    fix.description = "hold " + quoted(*mutex) + " with a " + guard->substr(0, guard->find('<')) +
                      " named " + quoted(name) + " instead of the manual lock()/unlock(), so " +
                      "that an exception releases it";
    auto add = [&](std::optional<Replacement> r) {
      if (!r)
        return false;
      fix.replacements.push_back(std::move(*r));
      return true;
    };
    if (!wrap) {
      if (!add(fixes::replace(ctx_, CharSourceRange::getCharRange(lockBegin, lockEnd),
                              declaration)) ||
          !add(deleteStatement(unlockBegin, unlockEnd)))
        return std::nullopt;
      return fix;
    }
    std::string indent = fixes::indentation(ctx_, lockBegin);
    std::string unit = indentUnit(cs, indent);
    if (!add(fixes::replace(ctx_, CharSourceRange::getCharRange(lockBegin, lockEnd),
                            "{\n" + indent + unit + declaration)))
      return std::nullopt;
    for (SourceLocation line : linesToIndent(lockEnd, unlockBegin))
      if (!add(fixes::replace(ctx_, CharSourceRange::getCharRange(line, line), unit)))
        return std::nullopt;
    if (!add(fixes::replace(ctx_, CharSourceRange::getCharRange(unlockBegin, unlockEnd), "}")))
      return std::nullopt;
    return fix;
  }

  // In a new block, locals declared between lock and unlock end there: only when nothing after
  // the block uses them. Type and other declarations are left alone.
  bool localsStayInside(const CompoundStmt* cs, size_t i, size_t j) {
    for (size_t k = i + 1; k < j; ++k) {
      const auto* ds = dyn_cast<DeclStmt>(cs->body_begin()[k]);
      if (!ds)
        continue;
      for (const Decl* d : ds->decls()) {
        const auto* vd = dyn_cast<VarDecl>(d);
        if (!vd)
          return false;
        for (size_t l = j + 1; l < cs->size(); ++l)
          if (fixes::mentions(cs->body_begin()[l], vd))
            return false;
      }
    }
    return true;
  }

  // std::scoped_lock deduces the mutex type; before C++17, lock_guard spells it, which a
  // template instantiation cannot do for all its instantiations at once.
  std::optional<std::string> guardType(const ManualCall& lock) {
    if (hasScopedLock_)
      return "std::scoped_lock";
    if (!hasLockGuard_ || fn_->getTemplateInstantiationPattern() || fn_->isTemplated())
      return std::nullopt;
    QualType t = lock.object->getType();
    if (lock.arrow) {
      if (!t->isPointerType())
        return std::nullopt;
      t = t->getPointeeType();
    }
    PrintingPolicy policy(ctx_.getLangOpts());
    policy.SuppressScope = false;
    policy.FullyQualifiedName = true;
    policy.SuppressUnwrittenScope = true;
    return "std::lock_guard<" + t.getUnqualifiedType().getAsString(policy) + ">";
  }

  std::optional<std::string> mutexSpelling(const ManualCall& lock) {
    SourceRange r = lock.object->getSourceRange();
    std::optional<std::string> t =
        fixes::text(ctx_, r.getBegin(), fixes::endOfToken(ctx_, r.getEnd()));
    if (!t || t->empty())
      return std::nullopt;
    if (!lock.arrow)
      return t;
    bool identifier = llvm::all_of(*t, [](char c) { return isalnum(c) || c == '_'; });
    return identifier ? "*" + *t : "*(" + *t + ")";
  }

  // The indentation one level deeper than the block's braces, as this code writes it.
  std::string indentUnit(const CompoundStmt* cs, const std::string& indent) {
    std::string outer = fixes::indentation(ctx_, cs->getLBracLoc());
    if (indent.size() > outer.size() && indent.compare(0, outer.size(), outer) == 0)
      return indent.substr(outer.size());
    return "  ";
  }

  // The starts of the non-blank lines after the lock's line up to the unlock's line. Nothing
  // when a string literal spans lines there: indenting would change its value.
  std::vector<SourceLocation> linesToIndent(SourceLocation from, SourceLocation to) {
    auto [fid, begin] = sm_.getDecomposedLoc(from);
    auto [fid2, end] = sm_.getDecomposedLoc(to);
    bool invalid = false;
    llvm::StringRef buffer = sm_.getBufferData(fid, &invalid);
    if (invalid || fid != fid2 || end < begin)
      return {};
    Lexer lexer(sm_.getLocForStartOfFile(fid), ctx_.getLangOpts(), buffer.begin(),
                buffer.begin() + begin, buffer.end());
    Token t;
    while (!lexer.LexFromRawLexer(t) && sm_.getFileOffset(t.getLocation()) < end)
      if (t.isLiteral() && llvm::StringRef(t.getLiteralData(), t.getLength()).contains('\n'))
        return {};
    std::vector<SourceLocation> lines;
    for (size_t nl = buffer.find('\n', begin); nl != llvm::StringRef::npos && nl + 1 <= end;
         nl = buffer.find('\n', nl + 1)) {
      size_t start = nl + 1;
      size_t content = buffer.find_first_not_of(" \t", start);
      if (content == llvm::StringRef::npos || content >= end || buffer[content] == '\n' ||
          buffer[content] == '\r')
        continue;
      lines.push_back(sm_.getComposedLoc(fid, static_cast<unsigned>(start)));
    }
    return lines;
  }

  // The unlock statement goes, with its line when nothing else is on it.
  std::optional<Replacement> deleteStatement(SourceLocation begin, SourceLocation end) {
    auto [fid, b] = sm_.getDecomposedLoc(begin);
    auto [fid2, e] = sm_.getDecomposedLoc(end);
    bool invalid = false;
    llvm::StringRef buffer = sm_.getBufferData(fid, &invalid);
    if (invalid || fid != fid2)
      return std::nullopt;
    size_t lineStart = b;
    while (lineStart > 0 && (buffer[lineStart - 1] == ' ' || buffer[lineStart - 1] == '\t'))
      --lineStart;
    size_t lineEnd = e;
    while (lineEnd < buffer.size() && (buffer[lineEnd] == ' ' || buffer[lineEnd] == '\t'))
      ++lineEnd;
    if ((lineStart == 0 || buffer[lineStart - 1] == '\n') &&
        (lineEnd == buffer.size() || buffer[lineEnd] == '\n' || buffer[lineEnd] == '\r')) {
      if (lineEnd < buffer.size() && buffer[lineEnd] == '\r')
        ++lineEnd;
      if (lineEnd < buffer.size() && buffer[lineEnd] == '\n')
        ++lineEnd;
      return fixes::replace(
          ctx_,
          CharSourceRange::getCharRange(sm_.getComposedLoc(fid, static_cast<unsigned>(lineStart)),
                                        sm_.getComposedLoc(fid, static_cast<unsigned>(lineEnd))),
          "");
    }
    return fixes::replace(ctx_, CharSourceRange::getCharRange(begin, end), "");
  }

  ASTContext& ctx_;
  const SourceManager& sm_;
  std::vector<PreparedFix>& out_;
  bool hasScopedLock_;
  bool hasLockGuard_;
  const FunctionDecl* fn_ = nullptr;
  std::set<Location> anchors_;
};

class ScopedLockFixPass : public FixPass {
public:
  std::string_view checkId() const override { return "lock-not-released"; }
  void prepare(ASTContext& ctx, std::vector<PreparedFix>& out) const override {
    if (!ctx.getLangOpts().CPlusPlus11)
      return;
    PairVisitor(ctx, out).TraverseDecl(ctx.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<FixPass> createScopedLockFixPass() {
  return std::make_unique<ScopedLockFixPass>();
}

} // namespace threadcheck::checkers
