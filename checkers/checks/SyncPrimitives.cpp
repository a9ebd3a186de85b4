#include "checks/SyncPrimitives.h"

#include "engine/ThreadingApi.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

namespace threadcheck::checkers::sync {

using namespace clang;

bool isStdRecord(const CXXRecordDecl* rd, llvm::StringRef name) {
  return rd && rd->getIdentifier() && rd->getName() == name && rd->isInStdNamespace();
}

namespace {

const CXXRecordDecl* recordOf(QualType type) {
  type = type.getNonReferenceType().getCanonicalType();
  return type->getAsCXXRecordDecl();
}

// A function of the C library or POSIX: declared at file scope, not a member.
bool isGlobalFunction(const FunctionDecl* fd) {
  return fd && fd->getIdentifier() && !isa<CXXMethodDecl>(fd) &&
         fd->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

const Expr* argOrNull(const CallExpr* call, unsigned i) {
  return i < call->getNumArgs() ? call->getArg(i) : nullptr;
}

// The update argument of release(n), count_down(n), arrive(n): absent or defaulted means 1.
std::optional<int64_t> amountArg(const CallExpr* call, unsigned i, ASTContext& ctx) {
  const Expr* a = argOrNull(call, i);
  if (!a || isa<CXXDefaultArgExpr>(a))
    return 1;
  Expr::EvalResult r;
  if (a->isValueDependent() || !a->EvaluateAsInt(r, ctx))
    return std::nullopt;
  return r.Val.getInt().getExtValue();
}

} // namespace

std::optional<CvWait> classifyCvWait(const CallExpr* call) {
  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
    const CXXMethodDecl* md = mc->getMethodDecl();
    if (!md || !md->getIdentifier())
      return std::nullopt;
    const CXXRecordDecl* rd = md->getParent();
    bool any = isStdRecord(rd, "condition_variable_any");
    if (!any && !isStdRecord(rd, "condition_variable"))
      return std::nullopt;
    llvm::StringRef name = md->getName();
    bool timed = name == "wait_for" || name == "wait_until";
    if (name != "wait" && !timed)
      return std::nullopt;
    CvWait w;
    w.api = any ? CvApi::StdAny : CvApi::Std;
    w.cv = mc->getImplicitObjectArgument();
    w.lock = argOrNull(call, 0);
    w.timed = timed;
    // Every overload with a predicate has one more parameter than the plain wait (the stop-token
    // overloads of condition_variable_any all take a predicate).
    w.hasPredicate = md->getNumParams() >= (timed ? 3u : 2u);
    w.spelling = name.str();
    return w;
  }
  const FunctionDecl* fd = call->getDirectCallee();
  if (!isGlobalFunction(fd))
    return std::nullopt;
  llvm::StringRef name = fd->getName();
  CvWait w;
  if (name == "pthread_cond_wait" || name == "pthread_cond_timedwait" ||
      name == "pthread_cond_clockwait")
    w.api = CvApi::Pthread;
  else if (name == "cnd_wait" || name == "cnd_timedwait")
    w.api = CvApi::C11;
  else
    return std::nullopt;
  w.cv = argOrNull(call, 0);
  w.lock = argOrNull(call, 1);
  w.timed = name != "pthread_cond_wait" && name != "cnd_wait";
  w.spelling = name.str();
  return w;
}

std::optional<CountCall> classifyCountCall(const CallExpr* call, ASTContext& ctx) {
  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
    const CXXMethodDecl* md = mc->getMethodDecl();
    if (!md || !md->getIdentifier())
      return std::nullopt;
    const CXXRecordDecl* rd = md->getParent();
    llvm::StringRef name = md->getName();
    CountCall c;
    c.object = mc->getImplicitObjectArgument();
    if (isStdRecord(rd, "counting_semaphore")) {
      if (name == "release") {
        c.op = CountOp::SemRelease;
        c.amount = amountArg(call, 0, ctx);
        return c;
      }
      if (name == "acquire" || name.starts_with("try_acquire")) {
        c.op = CountOp::SemAcquire;
        c.amount = 1;
        return c;
      }
      return std::nullopt;
    }
    if (isStdRecord(rd, "latch") && (name == "count_down" || name == "arrive_and_wait")) {
      c.op = CountOp::LatchCountDown;
      c.amount = amountArg(call, 0, ctx);
      return c;
    }
    if (isStdRecord(rd, "barrier") &&
        (name == "arrive" || name == "arrive_and_wait" || name == "arrive_and_drop")) {
      c.op = CountOp::BarrierArrive;
      c.amount = name == "arrive" ? amountArg(call, 0, ctx) : std::optional<int64_t>(1);
      return c;
    }
    return std::nullopt;
  }
  const FunctionDecl* fd = call->getDirectCallee();
  if (!isGlobalFunction(fd) || call->getNumArgs() == 0)
    return std::nullopt;
  llvm::StringRef name = fd->getName();
  CountCall c;
  c.object = call->getArg(0);
  if (name == "sem_post") {
    c.op = CountOp::SemRelease;
    c.amount = 1;
  } else if (name == "sem_wait" || name == "sem_trywait" || name == "sem_timedwait" ||
             name == "sem_clockwait") {
    c.op = CountOp::SemAcquire;
    c.amount = 1;
  } else if (name == "sem_init" && call->getNumArgs() == 3) {
    c.op = CountOp::SemInit;
    c.amount = amountArg(call, 2, ctx);
  } else if (name == "sem_destroy") {
    c.op = CountOp::SemDestroy;
  } else {
    return std::nullopt;
  }
  return c;
}

std::optional<int64_t> semaphoreMax(QualType type) {
  const auto* spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(recordOf(type));
  if (!spec || !isStdRecord(spec, "counting_semaphore") || spec->getTemplateArgs().size() < 1)
    return std::nullopt;
  const TemplateArgument& arg = spec->getTemplateArgs()[0];
  if (arg.getKind() != TemplateArgument::Integral)
    return std::nullopt;
  return arg.getAsIntegral().getExtValue();
}

bool isLatch(QualType type) {
  return isStdRecord(recordOf(type), "latch");
}
bool isBarrier(QualType type) {
  return isStdRecord(recordOf(type), "barrier");
}

bool isSemT(QualType type) {
  type = type.getNonReferenceType();
  while (const auto* td = type->getAs<TypedefType>()) {
    if (td->getDecl()->getName() == "sem_t")
      return true;
    type = td->getDecl()->getUnderlyingType();
  }
  return false;
}

const Expr* designatedObject(const Expr* e) {
  while (e) {
    e = e->IgnoreParenImpCasts();
    if (const auto* uo = dyn_cast<UnaryOperator>(e);
        uo && (uo->getOpcode() == UO_AddrOf || uo->getOpcode() == UO_Deref)) {
      e = uo->getSubExpr();
      continue;
    }
    if (const auto* c = dyn_cast<CXXFunctionalCastExpr>(e)) {
      e = c->getSubExpr();
      continue;
    }
    break;
  }
  return e;
}

std::optional<ObjectPath> objectPath(const Expr* e) {
  e = designatedObject(e);
  if (!e)
    return std::nullopt;
  if (const auto* dre = dyn_cast<DeclRefExpr>(e)) {
    const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
    if (!vd)
      return std::nullopt;
    return ObjectPath{vd->getNameAsString(), vd, vd};
  }
  if (isa<CXXThisExpr>(e))
    return ObjectPath{"this", nullptr, nullptr};
  if (const auto* me = dyn_cast<MemberExpr>(e)) {
    const auto* fd = dyn_cast<FieldDecl>(me->getMemberDecl());
    if (!fd)
      return std::nullopt;
    auto base = objectPath(me->getBase());
    if (!base)
      return std::nullopt;
    base->text += "." + fd->getNameAsString();
    base->last = fd;
    return base;
  }
  if (const auto* ase = dyn_cast<ArraySubscriptExpr>(e)) {
    const Expr* idx = ase->getIdx();
    if (!idx || idx->isValueDependent())
      return std::nullopt;
    auto base = objectPath(ase->getBase());
    if (!base)
      return std::nullopt;
    // Only constant indices name one element; the evaluation needs no context for literals.
    if (const auto* lit = dyn_cast<IntegerLiteral>(idx->IgnoreParenImpCasts())) {
      base->text += "[" + std::to_string(lit->getValue().getZExtValue()) + "]";
      return base;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

namespace {

std::string recordKey(const RecordDecl* rd) {
  if (const auto* spec = dyn_cast<ClassTemplateSpecializationDecl>(rd))
    rd = spec->getSpecializedTemplate()->getTemplatedDecl();
  if (rd->getIdentifier())
    return api::qualifiedName(rd);
  if (const TypedefNameDecl* td = rd->getTypedefNameForAnonDecl())
    return api::qualifiedName(td);
  return {};
}

std::string locationKey(const Decl* d, ASTContext& ctx) {
  const SourceManager& sm = ctx.getSourceManager();
  PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(d->getLocation()));
  if (p.isInvalid())
    return {};
  return std::string(p.getFilename()) + ":" + std::to_string(p.getLine()) + ":" +
         std::to_string(p.getColumn());
}

std::string keyOf(const Expr* e, ASTContext& ctx, int depth) {
  e = designatedObject(e);
  if (!e || depth > 4)
    return {};
  if (const auto* me = dyn_cast<MemberExpr>(e)) {
    const auto* fd = dyn_cast<FieldDecl>(me->getMemberDecl());
    if (!fd)
      return {};
    std::string rec = recordKey(fd->getParent());
    return rec.empty() ? std::string() : rec + "::" + fd->getNameAsString();
  }
  if (const auto* ase = dyn_cast<ArraySubscriptExpr>(e)) {
    std::string base = keyOf(ase->getBase(), ctx, depth + 1);
    return base.empty() ? base : base + "[]";
  }
  const auto* dre = dyn_cast<DeclRefExpr>(e);
  if (!dre)
    return {};
  const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
  if (!vd || isa<ParmVarDecl>(vd))
    return {};
  if (vd->getType()->isReferenceType() || vd->getType()->isPointerType()) {
    // A reference or a pointer bound once names what it was bound to.
    if (!vd->getInit() || (!vd->getType().isConstQualified() && !vd->getType()->isReferenceType()))
      return {};
    return keyOf(vd->getInit(), ctx, depth + 1);
  }
  if (vd->isStaticLocal()) {
    const auto* fn = dyn_cast<FunctionDecl>(vd->getDeclContext());
    return (fn ? api::qualifiedName(fn) : std::string()) + "::" + vd->getNameAsString();
  }
  if (vd->hasGlobalStorage()) {
    // Two files may each have their own internal `static pthread_cond_t cv`.
    if (!vd->isExternallyVisible())
      return locationKey(vd, ctx) + ":" + vd->getNameAsString();
    return api::qualifiedName(vd);
  }
  return "local:" + locationKey(vd, ctx) + ":" + vd->getNameAsString();
}

} // namespace

std::string declarationKey(const Expr* e, ASTContext& ctx) {
  return keyOf(e, ctx, 0);
}

std::string spelling(const Expr* e, ASTContext& ctx) {
  if (!e)
    return {};
  const SourceManager& sm = ctx.getSourceManager();
  CharSourceRange r = sm.getExpansionRange(e->getSourceRange());
  // Messages are one line: a condition written over several lines is quoted on one.
  std::string out;
  bool space = false;
  for (char c : Lexer::getSourceText(r, sm, ctx.getLangOpts())) {
    bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

} // namespace threadcheck::checkers::sync
