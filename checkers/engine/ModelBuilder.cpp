#include "engine/ModelBuilder.h"

#include "engine/PeelTemporaries.h"
#include "engine/ThreadingApi.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Analysis/CFG.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Index/USRGeneration.h>
#include <clang/Lex/Lexer.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <map>
#include <set>

namespace threadcheck::checkers {

using namespace clang;
using model::Event;
using model::EventKind;
using model::ObjRef;
using model::Value;

model::Loc toModelLoc(ASTContext& ctx, SourceLocation loc) {
  if (loc.isInvalid())
    return {};
  const SourceManager& sm = ctx.getSourceManager();
  SourceLocation exp = sm.getExpansionLoc(loc);
  PresumedLoc p = sm.getPresumedLoc(exp, /*UseLineDirectives=*/false);
  if (p.isInvalid())
    return {};
  llvm::SmallString<256> path(p.getFilename());
  // The file manager knows the compile command's directory; the process's may be another one.
  sm.getFileManager().makeAbsolutePath(path);
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  model::Loc out;
  out.file = model::internFile(std::string(path));
  out.line = p.getLine();
  out.col = p.getColumn();
  return out;
}

namespace {

std::string usrOf(const Decl* d) {
  llvm::SmallString<128> buf;
  if (index::generateUSRForDecl(d, buf))
    return {};
  return std::string(buf);
}

// The expression that produces the value of an initialiser or argument.
const Expr* core(const Expr* e) {
  return peelTemporaries(e, /*elidableCopies=*/true);
}

bool isStdMove(const Expr* e) {
  if (const auto* call = dyn_cast<CallExpr>(e))
    if (const FunctionDecl* fd = call->getDirectCallee())
      return call->getNumArgs() == 1 && (api::qualifiedName(fd) == "std::move");
  return false;
}

bool refersTo(const Stmt* s, const ValueDecl* d) {
  if (!s)
    return false;
  if (const auto* dre = dyn_cast<DeclRefExpr>(s); dre && dre->getDecl() == d)
    return true;
  for (const Stmt* child : s->children())
    if (refersTo(child, d))
      return true;
  return false;
}

class Builder {
public:
  Builder(ASTContext& ctx, const FunctionDecl* fn, std::vector<model::LockInitFact>& inits)
      : ctx_(ctx), sm_(ctx.getSourceManager()), fn_(fn), inits_(inits),
        generic_(api::isInstantiatedCode(fn)) {}

  std::unique_ptr<model::FunctionModel> build();

private:
  // --- object identity -------------------------------------------------------------------------
  std::string varKey(const VarDecl* vd);
  void handleLambda(const LambdaExpr* le);
  std::string objectKey(const Expr* e, bool& precise, std::string& declKey);
  std::string pointeeKey(const Expr* e, bool& precise, std::string& declKey);
  ObjRef makeRef(const Expr* e, bool isPointer);

  // --- values and conditions -------------------------------------------------------------------
  Value valueOf(const Expr* e);
  Value truthOf(const Expr* cond);
  std::string atomFor(const Expr* e);
  void collectVars(const Expr* e, std::vector<std::string>& out);

  // --- statements --------------------------------------------------------------------------------
  void prepass(const Stmt* s, const CXXTryStmt* currentTry);
  void handleStmt(const Stmt* s);
  void handleCall(const CallExpr* call);
  void handleConstruct(const CXXConstructExpr* ce);
  void handleDecl(const VarDecl* vd);
  void handleAssign(const Expr* lhs, const Expr* rhs, bool compound);
  void nestedAssigns(const Expr* e);
  void handleReturn(const ReturnStmt* rs);
  void handleAutomaticDtor(const VarDecl* vd, const Stmt* trigger);
  void handleInitializer(const CXXCtorInitializer* init);
  void emitMemberInvariants(std::vector<Event>& entry);
  void handleLifetimeEnd(const VarDecl* vd, const Stmt* trigger);
  SourceLocation scopeEndLoc(const Stmt* trigger) const;
  bool containsMutex(const RecordDecl* rd, int depth) const;
  // "function end" when the scope that ends is the function's own (its body, or a return),
  // "scope end" for an inner block.
  const char* scopeEndKind(const Stmt* trigger) const {
    return !trigger || trigger == fn_->getBody() || isa<ReturnStmt>(trigger) ? "function end"
                                                                             : "scope end";
  }
  void emitCall(const CallExpr* call, const FunctionDecl* callee, const Expr* object);
  void handleThreadConstruct(const CXXConstructExpr* ce, bool jthread);
  bool handleThreadCall(const CallExpr* call);
  void emitEscapes(const CallExpr* call);
  bool takesThreadOver(const FunctionDecl* callee, unsigned param) const;
  void handOverTemporary(const Expr* arg, const FunctionDecl* callee, unsigned param);
  std::string entryOf(const Expr* e, std::vector<model::Capture>& caps, int depth = 0);
  void captureArg(const Expr* a, std::vector<model::Capture>& caps);
  bool isLocalObject(const Expr* e, std::string& name) const;
  bool designatesNothing(const Expr* e) const;
  void movesIterator(const CallExpr* call);
  // A thread object's key, or "" when it is named only imprecisely (pool[i]): such threads are
  // not tracked at all.
  std::string preciseKey(const Expr* e) {
    const Expr* c = core(e);
    if (isStdMove(c))
      c = core(cast<CallExpr>(c)->getArg(0));
    if (isa<DeclRefExpr>(c) || isa<MemberExpr>(c) || isa<ArraySubscriptExpr>(c)) {
      bool precise = true;
      std::string declKey;
      std::string key = objectKey(c, precise, declKey);
      return precise ? key : std::string();
    }
    return guardKeyOf(e);
  }
  // How messages name a thread's callable: its spelling when short, "a lambda" otherwise.
  std::string callableName(const Expr* e) {
    std::string t = text(e);
    if (t.find('\n') == std::string::npos && t.size() <= 40)
      return t;
    return isa<LambdaExpr>(core(e)) ? "a lambda" : "the thread's callable";
  }
  std::string guardKeyOf(const Expr* e);
  std::string tempKey(const Expr* e);
  bool callMayThrow(const FunctionDecl* callee, const Expr* calleeExpr) const;
  void markTry(Event& ev, const Stmt* s);
  Event& emit(EventKind kind, const Stmt* at);
  model::Loc loc(SourceLocation l) { return toModelLoc(ctx_, l); }
  std::string text(const Expr* e);
  bool inSystemHeader(const Decl* d) const {
    return d && sm_.isInSystemHeader(sm_.getExpansionLoc(d->getLocation()));
  }

  // How messages name a function: in code instantiated from a template, by names that are the
  // same in every instantiation, so that each instantiation words its findings alike and they
  // collapse into one per source location.
  std::string nameOf(const NamedDecl* d) const {
    return generic_ ? api::genericName(d) : api::qualifiedName(d);
  }

  ASTContext& ctx_;
  const SourceManager& sm_;
  const FunctionDecl* fn_;
  std::vector<model::LockInitFact>& inits_;
  bool generic_ = false;
  model::FunctionModel* m_ = nullptr;
  std::vector<Event>* out_ = nullptr;

  std::map<const VarDecl*, unsigned> localIds_;
  std::map<const Expr*, int> exprSym_;
  int nextSym_ = 0;
  std::map<const Expr*, std::string> constructTarget_; // guard-producing expr -> guard key
  std::map<const Expr*, std::string> tempKeys_;
  unsigned nextTemp_ = 0;
  std::map<const Stmt*, const CXXTryStmt*> enclosingTry_;
  std::map<const CXXTryStmt*, std::vector<unsigned>> tryHandlers_;
  std::map<const VarDecl*, int64_t> attrTypes_; // pthread_mutexattr_settype, flow-insensitive
  // Integer variables and whether every value they are given is a descriptor that open() returned
  // for a path (directly or through a function of this unit that returns one): reading a file
  // does not wait for another party, as reading a socket, a pipe or a terminal does.
  std::map<const VarDecl*, bool> fileFds_;
  std::map<const FunctionDecl*, bool> returnsFileFd_;
  bool opensFile(const Expr* e, int depth);
  bool readsFile(const CallExpr* call) const;
  std::set<const Expr*> throwOperands_; // the exception object: its construction is the throw
  std::map<const VarDecl*, bool> detachAttrs_; // pthread_attr_setdetachstate(&a, DETACHED)
  std::set<std::string> threadTemps_;          // temporaries that are std::thread objects
  std::set<const Expr*> argTemps_;             // std::thread objects built to be passed by value
  std::set<const BinaryOperator*> assignsSeen_; // assignments already recorded
};

std::string quoteName(const std::string& s) {
  return "'" + s + "'";
}

std::string Builder::text(const Expr* e) {
  CharSourceRange range = CharSourceRange::getTokenRange(e->getSourceRange());
  llvm::StringRef t = Lexer::getSourceText(range, sm_, ctx_.getLangOpts());
  if (!t.empty() && t.size() < 200)
    return t.str();
  std::string s;
  llvm::raw_string_ostream os(s);
  e->printPretty(os, nullptr, PrintingPolicy(ctx_.getLangOpts()));
  return os.str();
}

std::string Builder::varKey(const VarDecl* vd) {
  if (vd->isStaticLocal())
    return "S:" + usrOf(vd);
  if (vd->hasGlobalStorage())
    return "G:" + usrOf(vd);
  auto [it, inserted] = localIds_.try_emplace(vd, static_cast<unsigned>(localIds_.size()));
  return "L" + std::to_string(it->second) + ":" + vd->getNameAsString();
}

std::string Builder::objectKey(const Expr* e, bool& precise, std::string& declKey) {
  e = e->IgnoreParenImpCasts();
  if (const auto* dre = dyn_cast<DeclRefExpr>(e)) {
    const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
    if (!vd) {
      precise = false;
      return "X:" + text(e);
    }
    if (vd->hasGlobalStorage() || vd->isStaticLocal())
      declKey = api::qualifiedName(vd);
    else
      declKey = api::qualifiedName(fn_) + "::" + vd->getNameAsString();
    if (const auto* pvd = dyn_cast<ParmVarDecl>(vd);
        pvd && pvd->getDeclContext() == fn_ && vd->getType()->isReferenceType()) {
      declKey.clear();
      return "P" + std::to_string(pvd->getFunctionScopeIndex());
    }
    if (dre->refersToEnclosingVariableOrCapture() && !vd->hasGlobalStorage())
      // A lambda's capture: the enclosing function's object, alive across this call.
      return "C:" + usrOf(vd) + (vd->getType()->isReferenceType() ? "*" : "");
    std::string key = varKey(vd);
    if (vd->getType()->isReferenceType())
      key += "*";
    return key;
  }
  if (const auto* me = dyn_cast<MemberExpr>(e)) {
    const ValueDecl* member = me->getMemberDecl();
    if (const auto* vd = dyn_cast<VarDecl>(member)) { // static data member
      declKey = api::qualifiedName(vd);
      return "G:" + usrOf(vd);
    }
    std::string base = me->isArrow() ? pointeeKey(me->getBase(), precise, declKey)
                                     : objectKey(me->getBase(), precise, declKey);
    std::string key = base + "." + member->getNameAsString();
    if (const auto* fd = dyn_cast<FieldDecl>(member))
      declKey = api::qualifiedName(fd->getParent()) + "::" + fd->getNameAsString();
    if (member->getType()->isReferenceType())
      key += "*";
    return key;
  }
  if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_Deref)
    return pointeeKey(uo->getSubExpr(), precise, declKey);
  if (const auto* ase = dyn_cast<ArraySubscriptExpr>(e)) {
    std::string base = pointeeKey(ase->getBase(), precise, declKey);
    Expr::EvalResult r;
    if (!ase->getIdx()->isValueDependent() && ase->getIdx()->EvaluateAsInt(r, ctx_))
      return base + "[" + std::to_string(r.Val.getInt().getExtValue()) + "]";
    precise = false;
    return base + "[" + text(ase->getIdx()) + "]";
  }
  if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(e);
      oc && oc->getOperator() == OO_Star && oc->getNumArgs() == 1) {
    // *smart_ptr
    return objectKey(oc->getArg(0), precise, declKey) + "*";
  }
  precise = false;
  return "X:" + text(e);
}

std::string Builder::pointeeKey(const Expr* e, bool& precise, std::string& declKey) {
  const Expr* stripped = e->IgnoreParenImpCasts();
  if (stripped->getType()->isArrayType())
    return objectKey(stripped, precise, declKey);
  if (const auto* uo = dyn_cast<UnaryOperator>(stripped); uo && uo->getOpcode() == UO_AddrOf)
    return objectKey(uo->getSubExpr(), precise, declKey);
  if (isa<CXXThisExpr>(stripped))
    return "T";
  if (const auto* dre = dyn_cast<DeclRefExpr>(stripped))
    if (const auto* pvd = dyn_cast<ParmVarDecl>(dre->getDecl());
        pvd && pvd->getDeclContext() == fn_ && pvd->getType()->isPointerType())
      return "P" + std::to_string(pvd->getFunctionScopeIndex());
  if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(stripped);
      oc && oc->getOperator() == OO_Arrow && oc->getNumArgs() >= 1)
    return objectKey(oc->getArg(0), precise, declKey) + "*";
  if (isa<DeclRefExpr>(stripped) || isa<MemberExpr>(stripped) ||
      isa<ArraySubscriptExpr>(stripped)) {
    std::string key = objectKey(stripped, precise, declKey);
    return key + "*";
  }
  precise = false;
  return "X:*" + text(stripped);
}

namespace {

// "Env::mutex_.mu_": the fields from the outermost one that the object is a direct part of (a
// member reached through a pointer starts again: the pointee may be shared by many owners).
std::string fieldPath(const Expr* e) {
  const auto* me = dyn_cast<MemberExpr>(e->IgnoreParenImpCasts());
  const auto* fd = me ? dyn_cast<FieldDecl>(me->getMemberDecl()) : nullptr;
  if (!fd)
    return {};
  if (!me->isArrow())
    if (std::string outer = fieldPath(me->getBase()); !outer.empty())
      return outer + "." + fd->getNameAsString();
  return api::qualifiedName(fd->getParent()) + "::" + fd->getNameAsString();
}

} // namespace

ObjRef Builder::makeRef(const Expr* e, bool isPointer) {
  ObjRef r;
  if (!e)
    return r;
  bool precise = true;
  std::string declKey;
  r.key = isPointer ? pointeeKey(e, precise, declKey) : objectKey(e, precise, declKey);
  r.precise = precise;
  r.declKey = declKey;
  const Expr* object = e->IgnoreParenImpCasts();
  if (const auto* uo = dyn_cast<UnaryOperator>(object); isPointer && uo && uo->getOpcode() == UO_AddrOf)
    object = uo->getSubExpr();
  if (!isPointer || object != e->IgnoreParenImpCasts())
    if (std::string path = fieldPath(object); path != declKey)
      r.orderKey = std::move(path);
  const Expr* shown = e->IgnoreParenImpCasts();
  if (const auto* uo = dyn_cast<UnaryOperator>(shown);
      isPointer && uo && uo->getOpcode() == UO_AddrOf)
    shown = uo->getSubExpr()->IgnoreParens(); // a macro's `&(mutex)` names `mutex`
  r.display = text(shown);
  QualType type = e->getType();
  if (isPointer && type->isPointerType())
    type = type->getPointeeType();
  r.typeName = api::lockTypeName(type);
  r.recursion = api::typeRecursion(type);
  bool hasDeref = r.key.find('*') != std::string::npos;
  r.local = r.key[0] == 'L' && !hasDeref;
  r.staticLocal = r.key.rfind("S:", 0) == 0 && !hasDeref;
  return r;
}

std::string Builder::atomFor(const Expr* e) {
  e = e->IgnoreParenImpCasts();
  if (auto it = exprSym_.find(e); it != exprSym_.end())
    return "$s" + std::to_string(it->second);
  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) {
    // unique_lock::owns_lock() and its operator bool: answered from the guard's own state.
    if (const Expr* obj = mc->getImplicitObjectArgument();
        obj && api::guardKind(obj->getType()) != api::GuardKind::None) {
      const CXXMethodDecl* md = mc->getMethodDecl();
      if (md && (isa<CXXConversionDecl>(md) || md->getNameAsString() == "owns_lock"))
        return "$g:" + guardKeyOf(obj);
    }
  }
  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(e)) {
    bool jthread = false;
    if (const Expr* obj = mc->getImplicitObjectArgument();
        obj && api::isStdThread(obj->getType(), jthread) && mc->getMethodDecl() &&
        mc->getMethodDecl()->getNameAsString() == "joinable")
      return "$j:" + guardKeyOf(obj);
  }
  if (isa<DeclRefExpr>(e) || isa<MemberExpr>(e)) {
    bool precise = true;
    std::string declKey;
    std::string key = "v:" + objectKey(e, precise, declKey);
    if (precise) {
      m_->atomVars[key] = {key};
      return key;
    }
  }
  if (e->isValueDependent() || e->HasSideEffects(ctx_))
    return {};
  std::string key = "e:" + text(e);
  std::vector<std::string> vars;
  collectVars(e, vars);
  m_->atomVars[key] = vars;
  return key;
}

void Builder::collectVars(const Expr* e, std::vector<std::string>& out) {
  if (!e)
    return;
  const Expr* s = e->IgnoreParenImpCasts();
  if (isa<DeclRefExpr>(s) || isa<MemberExpr>(s)) {
    bool precise = true;
    std::string declKey;
    out.push_back("v:" + objectKey(s, precise, declKey));
  }
  for (const Stmt* child : e->children())
    if (const auto* ce = dyn_cast_or_null<Expr>(child))
      collectVars(ce, out);
}

Value Builder::valueOf(const Expr* e) {
  Value v;
  if (!e)
    return v;
  e = e->IgnoreParenImpCasts();
  if (!e->isValueDependent()) {
    Expr::EvalResult r;
    if (e->EvaluateAsInt(r, ctx_)) {
      v.kind = Value::Kind::Const;
      v.constant = r.Val.getInt().getExtValue();
      return v;
    }
    if (e->getType()->isPointerType() &&
        e->isNullPointerConstant(ctx_, Expr::NPC_ValueDependentIsNotNull)) {
      v.kind = Value::Kind::Const;
      return v;
    }
  }
  if (const auto* bo = dyn_cast<BinaryOperator>(e)) {
    // `(rc = pthread_create(...)) != 0` tests what was stored: the assigned variable, which the
    // Assign event of this very expression has made an alias of the call's result.
    if (bo->getOpcode() == BO_Assign && bo->getLHS()->getType()->isScalarType())
      return valueOf(bo->getLHS());
    // `(lock(&m), 1)`: the value of a comma expression is its right operand's.
    if (bo->getOpcode() == BO_Comma)
      return valueOf(bo->getRHS());
  }
  if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_LNot) {
    Value inner = valueOf(uo->getSubExpr());
    if (inner.kind == Value::Kind::Atom) {
      inner.kind = Value::Kind::Test;
      inner.testEquals = true;
      inner.constant = 0;
      return inner;
    }
    if (inner.kind == Value::Kind::Test) {
      inner.testEquals = !inner.testEquals;
      return inner;
    }
    return v;
  }
  if (const auto* bo = dyn_cast<BinaryOperator>(e);
      bo && (bo->getOpcode() == BO_EQ || bo->getOpcode() == BO_NE)) {
    Value l = valueOf(bo->getLHS()), r = valueOf(bo->getRHS());
    if (l.kind == Value::Kind::Const && r.kind == Value::Kind::Atom)
      std::swap(l, r);
    if (l.kind == Value::Kind::Atom && r.kind == Value::Kind::Const) {
      l.kind = Value::Kind::Test;
      l.testEquals = bo->getOpcode() == BO_EQ;
      l.constant = r.constant;
      return l;
    }
  }
  std::string atom = atomFor(e);
  if (!atom.empty()) {
    v.kind = Value::Kind::Atom;
    v.atom = atom;
  }
  return v;
}

// Whether a branch condition holds, as a test of an atom where possible. `c ? (unlock(m), 0) :
// (lock(m), 1)` (a scoped-lock macro's loop test) holds exactly when c is 0: its arms are
// constants, so it is a test of c.
Value Builder::truthOf(const Expr* cond) {
  auto asTest = [](Value v) {
    if (v.kind == Value::Kind::Atom) {
      v.kind = Value::Kind::Test;
      v.testEquals = false;
      v.constant = 0;
    }
    return v;
  };
  const auto* co = dyn_cast<ConditionalOperator>(cond->IgnoreParenImpCasts());
  if (!co)
    return asTest(valueOf(cond));
  Value t = valueOf(co->getTrueExpr()), f = valueOf(co->getFalseExpr());
  if (t.kind != Value::Kind::Const || f.kind != Value::Kind::Const)
    return asTest(valueOf(cond));
  if ((t.constant != 0) == (f.constant != 0)) {
    Value v;
    v.kind = Value::Kind::Const;
    v.constant = t.constant != 0;
    return v;
  }
  Value c = asTest(valueOf(co->getCond()));
  if (c.kind != Value::Kind::Test)
    return Value();
  if (t.constant == 0)
    c.testEquals = !c.testEquals;
  return c;
}

Event& Builder::emit(EventKind kind, const Stmt* at) {
  out_->push_back(Event{kind});
  Event& ev = out_->back();
  if (at) {
    SourceLocation l = at->getBeginLoc();
    if (const auto* e = dyn_cast<Expr>(at))
      if (isa<CallExpr>(e) && !isa<CXXOperatorCallExpr>(e))
        l = e->getExprLoc();
    ev.loc = loc(l);
  }
  return ev;
}

void Builder::markTry(Event& ev, const Stmt* s) {
  auto it = enclosingTry_.find(s);
  if (it == enclosingTry_.end())
    return;
  ev.inTry = true;
  ev.handlers = tryHandlers_[it->second];
  for (unsigned i = 0; i < it->second->getNumHandlers(); ++i) {
    const CXXCatchStmt* h = it->second->getHandler(i);
    ev.catchAll |= h->getExceptionDecl() == nullptr;
    if (h->getExceptionDecl())
      ev.catchStd |= api::lockTypeName(h->getCaughtType()) == "std::exception";
  }
}

std::string Builder::tempKey(const Expr* e) {
  auto [it, inserted] = tempKeys_.try_emplace(e);
  if (inserted)
    it->second = "$t" + std::to_string(nextTemp_++);
  return it->second;
}

// The guard object an expression designates: a guard variable, a moved-from guard, or a
// temporary produced by a constructor or a call.
std::string Builder::guardKeyOf(const Expr* e) {
  const Expr* c = core(e);
  if (isStdMove(c))
    c = core(cast<CallExpr>(c)->getArg(0));
  if (auto it = constructTarget_.find(c); it != constructTarget_.end())
    return it->second;
  if (isa<CXXConstructExpr>(c) || isa<CallExpr>(c))
    return tempKey(c);
  bool precise = true;
  std::string declKey;
  return objectKey(c, precise, declKey);
}

bool Builder::callMayThrow(const FunctionDecl* callee, const Expr* calleeExpr) const {
  if (!ctx_.getLangOpts().CXXExceptions || !ctx_.getLangOpts().CPlusPlus)
    return false;
  if (callee) {
    if (callee->isExternC() || callee->getBuiltinID() || isa<CXXDestructorDecl>(callee))
      return false;
    if (const auto* fpt = callee->getType()->getAs<FunctionProtoType>())
      return !fpt->isNothrow();
    return true;
  }
  if (calleeExpr) {
    QualType t = calleeExpr->getType();
    if (const auto* pt = t->getAs<PointerType>())
      t = pt->getPointeeType();
    if (const auto* fpt = t->getAs<FunctionProtoType>())
      return !fpt->isNothrow();
  }
  return true;
}

namespace {

// Every value given to an integer variable in `s`: initialisers and plain assignments.
void collectAssignments(const Stmt* s, std::vector<std::pair<const VarDecl*, const Expr*>>& out) {
  if (!s)
    return;
  if (const auto* ds = dyn_cast<DeclStmt>(s)) {
    for (const Decl* d : ds->decls())
      if (const auto* vd = dyn_cast<VarDecl>(d); vd && vd->getInit())
        out.emplace_back(vd, vd->getInit());
  } else if (const auto* bo = dyn_cast<BinaryOperator>(s); bo && bo->isAssignmentOp()) {
    if (const auto* dre = dyn_cast<DeclRefExpr>(bo->getLHS()->IgnoreParenImpCasts()))
      if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()))
        out.emplace_back(vd, bo->getOpcode() == BO_Assign ? bo->getRHS() : nullptr);
  } else if (const auto* uo = dyn_cast<UnaryOperator>(s); uo && uo->isIncrementDecrementOp()) {
    if (const auto* dre = dyn_cast<DeclRefExpr>(uo->getSubExpr()->IgnoreParenImpCasts()))
      if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()))
        out.emplace_back(vd, nullptr);
  }
  for (const Stmt* c : s->children())
    collectAssignments(c, out);
}

void collectReturns(const Stmt* s, std::vector<const Expr*>& out) {
  if (!s)
    return;
  if (const auto* rs = dyn_cast<ReturnStmt>(s))
    out.push_back(rs->getRetValue());
  for (const Stmt* c : s->children())
    collectReturns(c, out);
}

bool isOpenFunction(const FunctionDecl* fd) {
  if (!fd || !fd->getIdentifier())
    return false;
  llvm::StringRef n = fd->getName();
  return n == "open" || n == "open64" || n == "openat" || n == "openat64" || n == "creat" ||
         n == "creat64";
}

} // namespace

// A call of open() on a path, or of a function of this unit whose returned variable only ever
// holds open()'s result (libuv's uv__open_cloexec: `fd = open(...); if (fd == -1) return
// UV__ERR(errno); return fd;`).
bool Builder::opensFile(const Expr* e, int depth) {
  if (!e)
    return false;
  const auto* call = dyn_cast<CallExpr>(e->IgnoreParenImpCasts());
  if (!call)
    return false;
  const FunctionDecl* fd = call->getDirectCallee();
  if (isOpenFunction(fd))
    return true;
  if (!fd || depth > 2 || !fd->getReturnType()->isIntegerType())
    return false;
  const FunctionDecl* def = nullptr;
  if (!fd->hasBody(def) || !def || inSystemHeader(def))
    return false;
  if (auto it = returnsFileFd_.find(def); it != returnsFileFd_.end())
    return it->second;
  returnsFileFd_[def] = false; // recursion ends here
  std::vector<std::pair<const VarDecl*, const Expr*>> assigns;
  collectAssignments(def->getBody(), assigns);
  std::vector<const Expr*> returns;
  collectReturns(def->getBody(), returns);
  bool any = false, ok = true;
  for (const Expr* r : returns) {
    const auto* dre = r ? dyn_cast<DeclRefExpr>(r->IgnoreParenImpCasts()) : nullptr;
    const auto* vd = dre ? dyn_cast<VarDecl>(dre->getDecl()) : nullptr;
    if (!vd || !vd->isLocalVarDecl()) {
      // `return open(...)` is a descriptor; an error code (a constant, -errno) is none; anything
      // else may be any descriptor.
      if (r && isa<CallExpr>(r->IgnoreParenImpCasts()) && opensFile(r, depth + 1))
        any = true;
      else if (r && (isa<CallExpr>(r->IgnoreParenImpCasts()) ||
                     isa<DeclRefExpr>(r->IgnoreParenImpCasts())))
        ok = false;
      continue;
    }
    bool fromOpen = false;
    for (const auto& [v, value] : assigns)
      if (v == vd) {
        if (!opensFile(value, depth + 1)) {
          ok = false;
          break;
        }
        fromOpen = true;
      }
    ok = ok && fromOpen;
    any = true;
  }
  return returnsFileFd_[def] = any && ok;
}

bool Builder::readsFile(const CallExpr* call) const {
  const FunctionDecl* fd = call->getDirectCallee();
  if (!fd || !fd->getIdentifier() || call->getNumArgs() == 0)
    return false;
  llvm::StringRef n = fd->getName();
  if (n != "read" && n != "readv" && n != "pread" && n != "pread64" && n != "preadv")
    return false;
  const auto* dre = dyn_cast<DeclRefExpr>(call->getArg(0)->IgnoreParenImpCasts());
  const auto* vd = dre ? dyn_cast<VarDecl>(dre->getDecl()) : nullptr;
  auto it = vd ? fileFds_.find(vd) : fileFds_.end();
  return it != fileFds_.end() && it->second;
}

void Builder::prepass(const Stmt* s, const CXXTryStmt* currentTry) {
  if (!s)
    return;
  if (const auto* te = dyn_cast<CXXThrowExpr>(s); te && te->getSubExpr())
    throwOperands_.insert(core(te->getSubExpr()));
  if (currentTry &&
      (isa<CallExpr>(s) || isa<CXXConstructExpr>(s) || isa<CXXThrowExpr>(s) || isa<CXXNewExpr>(s)))
    enclosingTry_[s] = currentTry;
  if (const auto* ds = dyn_cast<DeclStmt>(s)) {
    for (const Decl* d : ds->decls())
      if (const auto* vd = dyn_cast<VarDecl>(d); vd && vd->getInit()) {
        const Expr* init = core(vd->getInit());
        if (api::guardKind(vd->getType()) != api::GuardKind::None || isa<CXXConstructExpr>(init))
          constructTarget_[init] = varKey(vd);
        prepass(vd->getInit(), currentTry);
      }
    return;
  }
  if (const auto* rs = dyn_cast<ReturnStmt>(s); rs && rs->getRetValue()) {
    if (api::guardKind(rs->getRetValue()->getType()) != api::GuardKind::None) {
      const Expr* c = core(rs->getRetValue());
      if (isa<CXXConstructExpr>(c) || isa<CallExpr>(c))
        constructTarget_[c] = "$ret";
    }
  }
  if (const auto* call = dyn_cast<CallExpr>(s))
    if (const FunctionDecl* fd = call->getDirectCallee();
        fd && fd->getIdentifier() && fd->getName() == "pthread_mutexattr_settype" &&
        call->getNumArgs() == 2) {
      const Expr* a = call->getArg(0)->IgnoreParenImpCasts();
      if (const auto* uo = dyn_cast<UnaryOperator>(a); uo && uo->getOpcode() == UO_AddrOf)
        if (const auto* dre = dyn_cast<DeclRefExpr>(uo->getSubExpr()->IgnoreParenImpCasts()))
          if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl())) {
            Expr::EvalResult r;
            int64_t type = -1;
            if (call->getArg(1)->EvaluateAsInt(r, ctx_))
              type = r.Val.getInt().getExtValue();
            auto [it, inserted] = attrTypes_.try_emplace(vd, type);
            if (!inserted && it->second != type)
              it->second = -1;
          }
    }
  if (const auto* call = dyn_cast<CallExpr>(s))
    if (const FunctionDecl* fd = call->getDirectCallee();
        fd && fd->getIdentifier() && fd->getName() == "pthread_attr_setdetachstate" &&
        call->getNumArgs() == 2) {
      const Expr* a = call->getArg(0)->IgnoreParenImpCasts();
      if (const auto* uo = dyn_cast<UnaryOperator>(a); uo && uo->getOpcode() == UO_AddrOf)
        if (const auto* dre = dyn_cast<DeclRefExpr>(uo->getSubExpr()->IgnoreParenImpCasts()))
          if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl())) {
            Expr::EvalResult r;
            // PTHREAD_CREATE_DETACHED is 1 in glibc and musl.
            detachAttrs_[vd] =
                call->getArg(1)->EvaluateAsInt(r, ctx_) && r.Val.getInt().getExtValue() == 1;
          }
    }
  if (const auto* ts = dyn_cast<CXXTryStmt>(s)) {
    prepass(ts->getTryBlock(), ts);
    for (unsigned i = 0; i < ts->getNumHandlers(); ++i)
      prepass(ts->getHandler(i), currentTry);
    return;
  }
  // std::thread objects built to initialise a by-value parameter: the callee owns them.
  auto markArgs = [&](llvm::ArrayRef<const Expr*> args, const FunctionDecl* callee,
                      unsigned firstParamArg) {
    for (unsigned i = firstParamArg; i < args.size(); ++i) {
      unsigned p = i - firstParamArg;
      if (!callee || p >= callee->getNumParams() ||
          callee->getParamDecl(p)->getType()->isReferenceType())
        continue;
      bool jthread = false;
      if (const auto* ce = dyn_cast_or_null<CXXConstructExpr>(core(args[i]));
          ce && api::isStdThread(ce->getType(), jthread))
        argTemps_.insert(ce);
    }
  };
  if (const auto* call = dyn_cast<CallExpr>(s)) {
    const FunctionDecl* callee = call->getDirectCallee();
    unsigned first = isa<CXXOperatorCallExpr>(call) && isa_and_nonnull<CXXMethodDecl>(callee);
    markArgs(llvm::ArrayRef(call->getArgs(), call->getNumArgs()), callee, first);
  }
  if (const auto* ce = dyn_cast<CXXConstructExpr>(s)) {
    bool jthread = false;
    if (!api::isStdThread(ce->getType(), jthread)) // a thread's own arguments are not handed over
      markArgs(llvm::ArrayRef(ce->getArgs(), ce->getNumArgs()), ce->getConstructor(), 0);
  }
  if (isa<LambdaExpr>(s))
    return; // a lambda body is a function of its own
  for (const Stmt* child : s->children())
    prepass(child, currentTry);
}

namespace {

bool refersTo(const Expr* e, const VarDecl* vd) {
  const auto* dre = e ? dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()) : nullptr;
  return dre && dre->getDecl() == vd;
}

// Whether `s` joins, detaches, assigns, swaps or moves the thread object `vd`.
bool managesThread(const Stmt* s, const VarDecl* vd) {
  if (!s)
    return false;
  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(s))
    if (const CXXMethodDecl* md = mc->getMethodDecl(); md && md->getIdentifier() &&
                                                       refersTo(mc->getImplicitObjectArgument(), vd))
      if (md->getName() == "join" || md->getName() == "detach" || md->getName() == "swap")
        return true;
  if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(s);
      oc && oc->getOperator() == OO_Equal && oc->getNumArgs() >= 1 && refersTo(oc->getArg(0), vd))
    return true;
  if (const auto* call = dyn_cast<CallExpr>(s))
    if (const FunctionDecl* fd = call->getDirectCallee();
        fd && fd->getIdentifier() && fd->getName() == "move" && call->getNumArgs() == 1 &&
        refersTo(call->getArg(0), vd))
      return true;
  for (const Stmt* c : s->children())
    if (managesThread(c, vd))
      return true;
  return false;
}

} // namespace

// A lambda that captures a local thread by reference and joins, detaches or replaces it (a scope
// guard `scope_exit([&] { svr.stop(); t.join(); })`, a callback that starts the thread later):
// the thread is in the lambda's hands from here on, as when it is handed to a callee.
void Builder::handleLambda(const LambdaExpr* le) {
  for (const LambdaCapture& c : le->captures()) {
    if (!c.capturesVariable() || c.getCaptureKind() != LCK_ByRef)
      continue;
    const auto* vd = dyn_cast<VarDecl>(c.getCapturedVar());
    bool jthread = false;
    if (!vd || !vd->isLocalVarDecl() || !api::isStdThread(vd->getType(), jthread) ||
        !managesThread(le->getBody(), vd))
      continue;
    Event& ev = emit(EventKind::ThreadEscape, le);
    ev.guard = varKey(vd);
  }
}

void Builder::handleStmt(const Stmt* s) {
  if (const auto* call = dyn_cast<CallExpr>(s))
    return handleCall(call);
  if (const auto* le = dyn_cast<LambdaExpr>(s))
    return handleLambda(le);
  if (const auto* me = dyn_cast<MemberExpr>(s)) {
    if (me->isArrow())
      if (const auto* dre = dyn_cast<DeclRefExpr>(me->getBase()->IgnoreParenImpCasts()))
        if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
            vd && vd->hasLocalStorage() && vd->getType()->isPointerType()) {
          bool precise = true;
          std::string declKey;
          emit(EventKind::Dereference, me).var = "v:" + objectKey(dre, precise, declKey);
        }
    return;
  }
  if (const auto* ce = dyn_cast<CXXConstructExpr>(s))
    return handleConstruct(ce);
  if (const auto* te = dyn_cast<CXXThrowExpr>(s)) {
    if (te->getSubExpr())
      throwOperands_.insert(core(te->getSubExpr()));
    Event& ev = emit(EventKind::Throw, te);
    markTry(ev, te);
    return;
  }
  if (const auto* ne = dyn_cast<CXXNewExpr>(s)) {
    if (callMayThrow(ne->getOperatorNew(), nullptr) && !ne->shouldNullCheckAllocation()) {
      Event& ev = emit(EventKind::Call, ne);
      ev.calleeName = "operator new";
      ev.mayThrow = true;
      markTry(ev, ne);
    }
    return;
  }
  if (const auto* rs = dyn_cast<ReturnStmt>(s))
    return handleReturn(rs);
  if (const auto* ds = dyn_cast<DeclStmt>(s)) {
    for (const Decl* d : ds->decls())
      if (const auto* vd = dyn_cast<VarDecl>(d))
        handleDecl(vd);
    return;
  }
  if (const auto* bo = dyn_cast<BinaryOperator>(s)) {
    if (bo->isAssignmentOp()) {
      if (assignsSeen_.insert(bo).second)
        handleAssign(bo->getLHS(), bo->getRHS(), bo->isCompoundAssignmentOp());
    } else {
      nestedAssigns(bo);
    }
    return;
  }
  if (const auto* uo = dyn_cast<UnaryOperator>(s)) {
    if (uo->getOpcode() == UO_LNot)
      nestedAssigns(uo);
    if (uo->isIncrementDecrementOp())
      handleAssign(uo->getSubExpr(), nullptr, true);
    else if (uo->getOpcode() == UO_AddrOf && uo->getSubExpr()->getType()->isScalarType())
      handleAssign(uo->getSubExpr(), nullptr, true); // its address escapes: may be written
    return;
  }
}

// The CFG lists an assignment nested in a comparison (`(rc = pthread_create(...)) != 0`,
// `!(p = next(q))`) only as part of the comparison, not as an element of its own: record the
// store here, after its operands (the call) and before the test that reads it.
void Builder::nestedAssigns(const Expr* e) {
  const Expr* s = e->IgnoreParenImpCasts();
  if (const auto* bo = dyn_cast<BinaryOperator>(s)) {
    if (bo->isAssignmentOp()) {
      nestedAssigns(bo->getRHS());
      if (assignsSeen_.insert(bo).second)
        handleAssign(bo->getLHS(), bo->getRHS(), bo->isCompoundAssignmentOp());
      return;
    }
    if (bo->isComparisonOp()) {
      nestedAssigns(bo->getLHS());
      nestedAssigns(bo->getRHS());
    }
    return;
  }
  if (const auto* uo = dyn_cast<UnaryOperator>(s); uo && uo->getOpcode() == UO_LNot)
    nestedAssigns(uo->getSubExpr());
}

void Builder::handleAssign(const Expr* lhs, const Expr* rhs, bool compound) {
  QualType t = lhs->getType();
  if (rhs && api::isThreadHandle(rhs->getType()))
    if (const auto* dre = dyn_cast<DeclRefExpr>(rhs->IgnoreParenImpCasts()))
      if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()); vd && vd->hasLocalStorage()) {
        // The handle is copied somewhere else: whoever holds the copy joins it.
        Event& ev = emit(EventKind::ThreadEscape, rhs);
        ev.guard = varKey(vd);
        ev.handle = true;
      }
  bool precise = true;
  std::string declKey;
  std::string key = objectKey(lhs, precise, declKey);
  if (t->isPointerType() && rhs && !compound) {
    Event& ev = emit(EventKind::Bind, lhs);
    ev.var = key + "*";
    if (!designatesNothing(rhs))
      ev.locks.push_back(makeRef(rhs, /*isPointer=*/true));
    // Its value too: `p = try_get(); if (p == NULL)` tests the call's result.
    Event& val = emit(EventKind::Assign, lhs);
    val.var = "v:" + key;
    val.value = valueOf(rhs);
    return;
  }
  if (t->isPointerType()) {
    // `++p`, `p += n`: p moves to another element, so it no longer designates what it did.
    Event& ev = emit(EventKind::Bind, lhs);
    ev.var = key + "*";
  }
  if (!t->isScalarType())
    return;
  Event& ev = emit(EventKind::Assign, lhs);
  ev.var = "v:" + key;
  if (rhs && !compound)
    ev.value = valueOf(rhs);
}

void Builder::handleDecl(const VarDecl* vd) {
  const Expr* init = vd->getInit();
  if (!init || !vd->hasLocalStorage())
    return;
  QualType t = vd->getType();
  std::string key = varKey(vd);
  if (t->isReferenceType()) {
    Event& ev = emit(EventKind::Bind, init);
    ev.var = key + "*";
    ev.locks.push_back(makeRef(init, /*isPointer=*/false));
    return;
  }
  if (t->isPointerType()) {
    Event& ev = emit(EventKind::Bind, init);
    ev.var = key + "*";
    if (!designatesNothing(init))
      ev.locks.push_back(makeRef(init, /*isPointer=*/true));
    Event& val = emit(EventKind::Assign, init);
    val.var = "v:" + key;
    val.value = valueOf(init);
    return;
  }
  if (t->isScalarType()) {
    Event& ev = emit(EventKind::Assign, init);
    ev.var = "v:" + key;
    ev.value = valueOf(init);
  }
}

void Builder::handleReturn(const ReturnStmt* rs) {
  const Expr* rv = rs->getRetValue();
  bool jthread = false;
  if (rv && (api::isStdThread(rv->getType(), jthread) || api::isThreadHandle(rv->getType()))) {
    const Expr* c = core(rv);
    if (isa<DeclRefExpr>(c) || isStdMove(c)) {
      Event& esc = emit(EventKind::ThreadEscape, rs);
      esc.guard = guardKeyOf(rv);
      esc.moved = true;
      esc.handle = api::isThreadHandle(rv->getType());
    }
  }
  Event& ev = emit(EventKind::Return, rs);
  if (!rv)
    return;
  if (api::guardKind(rv->getType()) != api::GuardKind::None) {
    ev.guard = guardKeyOf(rv);
    return;
  }
  if (rv->getType()->isScalarType())
    ev.value = valueOf(rv);
}

void Builder::handleConstruct(const CXXConstructExpr* ce) {
  if (ce->isElidable())
    return;
  const CXXConstructorDecl* ctor = ce->getConstructor();
  if (bool jthread = false; api::isStdThread(ce->getType(), jthread))
    return handleThreadConstruct(ce, jthread);
  api::GuardKind gk = api::guardKind(ce->getType());
  if (gk != api::GuardKind::None) {
    std::string target;
    if (auto it = constructTarget_.find(ce); it != constructTarget_.end())
      target = it->second;
    else
      target = tempKey(ce);
    // Move construction from another guard.
    if (ce->getNumArgs() == 1 && api::guardKind(ce->getArg(0)->getType()) == gk &&
        ctor->isMoveConstructor()) {
      Event& ev = emit(EventKind::GuardMove, ce);
      ev.guard = target;
      ev.guard2 = guardKeyOf(ce->getArg(0));
      return;
    }
    Event& ev = emit(EventKind::GuardInit, ce);
    markTry(ev, ce);
    ev.guard = target;
    ev.guardMode = model::GuardMode::Acquire;
    ev.mode =
        gk == api::GuardKind::SharedLock ? model::LockMode::Shared : model::LockMode::Exclusive;
    for (const Expr* a : ce->arguments()) {
      if (isa<CXXDefaultArgExpr>(a))
        continue;
      switch (api::guardTag(a->getType())) {
      case api::GuardTag::Defer:
        ev.guardMode = model::GuardMode::Defer;
        continue;
      case api::GuardTag::TryTo:
      case api::GuardTag::Timeout:
        ev.guardMode = model::GuardMode::Try;
        continue;
      case api::GuardTag::Adopt:
        ev.guardMode = model::GuardMode::Adopt;
        continue;
      case api::GuardTag::None:
        break;
      }
      ev.locks.push_back(makeRef(a, /*isPointer=*/false));
    }
    if (ev.locks.empty())
      ev.guardMode = model::GuardMode::Defer;
    if (ev.guardMode == model::GuardMode::Try) {
      ev.sym = nextSym_++;
      ev.successValue = 1;
    }
    return;
  }
  if (!ctor || ctor->isTrivial() || throwOperands_.count(ce))
    return;
  for (unsigned i = 0; i < ce->getNumArgs(); ++i)
    handOverTemporary(ce->getArg(i), ctor, i);
  for (const Expr* a : ce->arguments()) {
    const Expr* c = core(a);
    bool moved = isStdMove(c);
    if (moved)
      c = core(cast<CallExpr>(c)->getArg(0));
    bool jthread = false;
    if ((isa<DeclRefExpr>(c) || isa<MemberExpr>(c)) && api::isStdThread(c->getType(), jthread)) {
      Event& esc = emit(EventKind::ThreadEscape, a);
      esc.guard = preciseKey(c);
      esc.moved = moved;
    }
  }
  const CXXRecordDecl* rd = ctor->getParent();
  bool userCode = !inSystemHeader(ctor);
  bool mayThrow = callMayThrow(ctor, nullptr) &&
                  !(ctor->isCopyOrMoveConstructor() && rd->hasTrivialCopyConstructor());
  if (!userCode && !mayThrow)
    return;
  Event& ev = emit(EventKind::Call, ce);
  if (userCode) {
    ev.callee = usrOf(ctor);
    if (auto it = constructTarget_.find(ce); it != constructTarget_.end()) {
      ev.thisArg.key = it->second;
      ev.thisArg.display = it->second.rfind("T.", 0) == 0
                               ? it->second.substr(2)
                               : it->second.substr(it->second.find(':') + 1);
    }
    for (unsigned i = 0; i < ce->getNumArgs() && i < ctor->getNumParams(); ++i) {
      QualType pt = ctor->getParamDecl(i)->getType();
      if (pt->isPointerType())
        ev.args.push_back(makeRef(ce->getArg(i), true));
      else if (pt->isReferenceType())
        ev.args.push_back(makeRef(ce->getArg(i), false));
      else
        ev.args.emplace_back();
    }
  }
  ev.calleeName = nameOf(rd);
  ev.mayThrow = mayThrow;
  markTry(ev, ce);
  if (auto it = constructTarget_.find(ce);
      userCode && it != constructTarget_.end() && it->second[0] == 'L')
    if (const CXXDestructorDecl* dtor = rd->getDestructor();
        dtor && !dtor->isTrivial() && !inSystemHeader(dtor))
      ev.guardDtor = usrOf(dtor);
  // The object a user-defined constructor builds is named by the variable it initialises.
  if (userCode && !ev.thisArg.valid()) {
    ev.thisArg.key = tempKey(ce);
  } else if (userCode) {
    // constructTarget_ holds a local key such as "L3:g": make it a proper reference.
    ev.thisArg.local = ev.thisArg.key[0] == 'L';
  }
}

void Builder::emitCall(const CallExpr* call, const FunctionDecl* callee, const Expr* object) {
  bool userCode = callee && !inSystemHeader(callee);
  bool mayThrow = callMayThrow(callee, call->getCallee());
  bool returnsGuard = api::guardKind(call->getType()) != api::GuardKind::None;
  std::vector<std::string> callbacks;
  for (const Expr* a : call->arguments()) {
    const Expr* e = a->IgnoreParenImpCasts();
    if (const auto* uo = dyn_cast<UnaryOperator>(e); uo && uo->getOpcode() == UO_AddrOf)
      e = uo->getSubExpr()->IgnoreParenImpCasts();
    if (const auto* dre = dyn_cast<DeclRefExpr>(e))
      if (const auto* fd = dyn_cast<FunctionDecl>(dre->getDecl()); fd && !inSystemHeader(fd))
        if (std::string usr = usrOf(fd->getCanonicalDecl()); !usr.empty())
          callbacks.push_back(std::move(usr));
  }
  if (!userCode && !mayThrow && !returnsGuard && callbacks.empty())
    return;
  Event& ev = emit(EventKind::Call, call);
  ev.callbacks = std::move(callbacks);
  ev.mayThrow = mayThrow;
  ev.knownThrowing = mayThrow && api::isKnownThrowing(call);
  markTry(ev, call);
  if (callee) {
    ev.calleeName = nameOf(callee);
    if (userCode)
      ev.callee = usrOf(callee->getCanonicalDecl());
  } else {
    ev.calleeName = text(call->getCallee());
  }
  if (returnsGuard)
    ev.resultGuard = guardKeyOf(call);
  if (!call->getType()->isVoidType()) {
    ev.sym = nextSym_++;
    exprSym_[call] = ev.sym;
  }
  if (!userCode)
    return;
  if (object)
    ev.thisArg = makeRef(object, object->getType()->isPointerType());
  unsigned first = isa<CXXOperatorCallExpr>(call) && isa<CXXMethodDecl>(callee) ? 1 : 0;
  for (unsigned i = 0; i < callee->getNumParams() && i + first < call->getNumArgs(); ++i) {
    QualType pt = callee->getParamDecl(i)->getType();
    const Expr* a = call->getArg(i + first);
    if (pt->isPointerType())
      ev.args.push_back(makeRef(a, true));
    else if (pt->isReferenceType())
      ev.args.push_back(makeRef(a, false));
    else
      ev.args.emplace_back();
    std::optional<int64_t> constant;
    Expr::EvalResult r;
    if (pt->isIntegralOrEnumerationType() && !a->isValueDependent() && a->EvaluateAsInt(r, ctx_) &&
        r.Val.getInt().getSignificantBits() <= 64)
      constant = r.Val.getInt().getExtValue();
    ev.argConsts.push_back(constant);
  }
  if (std::none_of(ev.argConsts.begin(), ev.argConsts.end(),
                   [](const std::optional<int64_t>& c) { return c.has_value(); }))
    ev.argConsts.clear();
}

void Builder::handleCall(const CallExpr* call) {
  const FunctionDecl* callee = call->getDirectCallee();
  if (handleThreadCall(call))
    return;
  emitEscapes(call);

  if (auto prim = api::classifyPrimitive(call)) {
    const Expr* obj = prim->object ? prim->object : prim->pointer;
    ObjRef ref = makeRef(obj, prim->object == nullptr);
    switch (prim->op) {
    case api::PrimitiveOp::Lock:
    case api::PrimitiveOp::LockShared: {
      Event& ev = emit(EventKind::Lock, call);
      ev.mode = prim->op == api::PrimitiveOp::LockShared ? model::LockMode::Shared
                                                         : model::LockMode::Exclusive;
      ev.locks.push_back(ref);
      // pthread_mutex_lock and mtx_lock answer 0 (thrd_success) when they locked: a branch that
      // finds another value holds nothing.
      if (!call->getType()->isVoidType()) {
        ev.sym = nextSym_++;
        exprSym_[call] = ev.sym;
      }
      return;
    }
    case api::PrimitiveOp::TryLock:
    case api::PrimitiveOp::TryLockShared: {
      Event& ev = emit(EventKind::TryLock, call);
      ev.mode = prim->op == api::PrimitiveOp::TryLockShared ? model::LockMode::Shared
                                                            : model::LockMode::Exclusive;
      ev.locks.push_back(ref);
      ev.sym = nextSym_++;
      ev.successValue = prim->successValue;
      exprSym_[call] = ev.sym;
      return;
    }
    case api::PrimitiveOp::Unlock:
    case api::PrimitiveOp::UnlockShared: {
      Event& ev = emit(EventKind::Unlock, call);
      ev.locks.push_back(ref);
      // pthread_mutex_unlock and mtx_unlock answer 0 when they unlocked: a branch that finds
      // another value released nothing.
      if (!call->getType()->isVoidType()) {
        ev.sym = nextSym_++;
        exprSym_[call] = ev.sym;
      }
      return;
    }
    case api::PrimitiveOp::Destroy: {
      Event& ev = emit(EventKind::Destroy, call);
      ev.locks.push_back(ref);
      return;
    }
    case api::PrimitiveOp::Init: {
      model::Recursion rec = model::Recursion::No;
      if (prim->initAttr) {
        const Expr* a = prim->initAttr->IgnoreParenImpCasts();
        if (prim->isC11Init) {
          Expr::EvalResult r;
          if (a->EvaluateAsInt(r, ctx_))
            rec = (r.Val.getInt().getExtValue() & 1) ? model::Recursion::Yes : model::Recursion::No;
          else
            rec = model::Recursion::Maybe;
        } else if (!a->isNullPointerConstant(ctx_, Expr::NPC_ValueDependentIsNotNull)) {
          rec = model::Recursion::Maybe;
          if (const auto* uo = dyn_cast<UnaryOperator>(a); uo && uo->getOpcode() == UO_AddrOf)
            if (const auto* dre = dyn_cast<DeclRefExpr>(uo->getSubExpr()->IgnoreParenImpCasts()))
              if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl())) {
                auto it = attrTypes_.find(vd);
                if (it == attrTypes_.end())
                  rec = model::Recursion::No; // an attribute whose type is never set: default
                else if (it->second >= 0)
                  // PTHREAD_MUTEX_RECURSIVE is 1 in glibc and musl.
                  rec = it->second == 1 ? model::Recursion::Yes : model::Recursion::No;
              }
        }
      }
      ref.recursion = rec;
      Event& ev = emit(EventKind::Init, call);
      ev.locks.push_back(ref);
      if (rec != model::Recursion::No && !ref.declKey.empty())
        inits_.push_back({ref.declKey, rec});
      return;
    }
    }
  }

  if (api::MultiLock ml = api::classifyMultiLock(call); ml != api::MultiLock::None) {
    Event& ev = emit(ml == api::MultiLock::Lock ? EventKind::Lock : EventKind::TryLock, call);
    for (const Expr* a : call->arguments()) {
      // std::lock(lk1, lk2) over unique_locks calls their lock(): the guards own the mutexes.
      if (api::guardKind(a->getType()) != api::GuardKind::None)
        ev.guards.push_back(guardKeyOf(a));
      else
        ev.locks.push_back(makeRef(a, false));
    }
    if (ml == api::MultiLock::TryLock) {
      ev.sym = nextSym_++;
      ev.successValue = -1; // std::try_lock returns -1 when it took every lock
      exprSym_[call] = ev.sym;
    }
    return;
  }

  // Operations on a unique_lock / shared_lock object.
  const Expr* object = nullptr;
  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call))
    object = mc->getImplicitObjectArgument();
  else if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(call);
           oc && oc->getNumArgs() >= 1 && isa_and_nonnull<CXXMethodDecl>(callee))
    object = oc->getArg(0);
  if (object && api::guardKind(object->getType()) != api::GuardKind::None && callee) {
    std::string guard = guardKeyOf(object);
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(call)) {
      if (oc->getOperator() == OO_Equal && oc->getNumArgs() == 2) {
        Event& ev = emit(EventKind::GuardMove, call);
        ev.guard = guard;
        ev.guard2 = guardKeyOf(oc->getArg(1));
      }
      return;
    }
    std::string name = callee->getNameAsString();
    if (name == "lock" || name == "lock_shared") {
      emit(EventKind::GuardLock, call).guard = guard;
    } else if (name.rfind("try_lock", 0) == 0) {
      Event& ev = emit(EventKind::GuardTryLock, call);
      ev.guard = guard;
      ev.sym = nextSym_++;
      ev.successValue = 1;
      exprSym_[call] = ev.sym;
    } else if (name == "unlock" || name == "unlock_shared") {
      emit(EventKind::GuardUnlock, call).guard = guard;
    } else if (name == "release") {
      emit(EventKind::GuardRelease, call).guard = guard;
    }
    return;
  }

  if (auto blocking = api::classifyBlocking(call); blocking && !readsFile(call)) {
    Event& ev = emit(EventKind::Blocking, call);
    ev.what = blocking->what;
    ev.sleep = blocking->sleep;
    if (blocking->releasedGuard)
      ev.releasedGuard = guardKeyOf(blocking->releasedGuard);
    if (blocking->releasedPointer)
      ev.locks.push_back(makeRef(blocking->releasedPointer, true));
    if (blocking->releasedObject)
      ev.locks.push_back(makeRef(blocking->releasedObject, false));
    // future::get both waits and rethrows the task's exception.
    if (api::isKnownThrowing(call))
      emitCall(call, callee, object);
    return;
  }

  if (!callee && !call->getCallee())
    return;
  if (callee && api::qualifiedName(callee).rfind("std::", 0) == 0 && isStdMove(call))
    return;
  movesIterator(call);
  emitCall(call, callee, object);
  if (object && callee && !out_->empty() && out_->back().kind == EventKind::Call) {
    const auto* md = dyn_cast<CXXMethodDecl>(callee);
    std::string name = callee->getNameAsString();
    if (md && api::isUserLockable(md->getParent())) {
      Event& ev = out_->back();
      if (name == "lock")
        ev.lockableOp = Event::LockableOp::Lock;
      else if (name == "unlock")
        ev.lockableOp = Event::LockableOp::Unlock;
      else if (name == "try_lock")
        ev.lockableOp = Event::LockableOp::TryLock;
      if (ev.lockableOp != Event::LockableOp::None) {
        ev.thisArg = makeRef(object, object->getType()->isPointerType());
        ev.thisArg.recursion = api::typeRecursion(md->getThisType()->getPointeeType());
        ev.successValue = 1;
      }
    }
  }
}

// `++it`, `it += n`, `it = other` on an object of class type (an iterator, a smart pointer): it
// designates something else from now on, so what `it->` and `*it` named before is forgotten, as
// for a raw pointer that moves. Without this a loop `for (; it != end; ++it) it->unlock();`
// would unlock the same lock on every pass.
void Builder::movesIterator(const CallExpr* call) {
  const auto* oc = dyn_cast<CXXOperatorCallExpr>(call);
  if (!oc || oc->getNumArgs() < 1)
    return;
  switch (oc->getOperator()) {
  case OO_PlusPlus:
  case OO_MinusMinus:
  case OO_PlusEqual:
  case OO_MinusEqual:
  case OO_Equal:
    break;
  default:
    return;
  }
  const Expr* obj = oc->getArg(0)->IgnoreParenImpCasts();
  if (!obj->getType()->isRecordType() || api::guardKind(obj->getType()) != api::GuardKind::None)
    return;
  bool jthread = false;
  if (api::isStdThread(obj->getType(), jthread))
    return;
  if (!isa<DeclRefExpr>(obj) && !isa<MemberExpr>(obj))
    return;
  bool precise = true;
  std::string declKey;
  Event& ev = emit(EventKind::Bind, call);
  ev.var = objectKey(obj, precise, declKey) + "*";
}

// A null pointer: `nullptr`, `NULL`, `0`, or value-initialised `{}`.
bool Builder::designatesNothing(const Expr* e) const {
  e = e->IgnoreParenImpCasts();
  if (const auto* il = dyn_cast<InitListExpr>(e)) {
    if (il->getNumInits() == 0)
      return true;
    if (il->getNumInits() != 1)
      return false;
    e = il->getInit(0)->IgnoreParenImpCasts();
  }
  if (isa<ImplicitValueInitExpr>(e))
    return true;
  return !e->isValueDependent() &&
         e->isNullPointerConstant(ctx_, Expr::NPC_ValueDependentIsNotNull);
}

bool Builder::isLocalObject(const Expr* e, std::string& name) const {
  e = e->IgnoreParenImpCasts();
  if (const auto* dre = dyn_cast<DeclRefExpr>(e))
    if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
        vd && vd->hasLocalStorage() && !vd->getType()->isReferenceType()) {
      name = vd->getNameAsString();
      return true;
    }
  if (const auto* me = dyn_cast<MemberExpr>(e); me && !me->isArrow())
    return isLocalObject(me->getBase(), name);
  return false;
}

// Arguments a new thread receives that point into this function's stack.
void Builder::captureArg(const Expr* a, std::vector<model::Capture>& caps) {
  const Expr* c = core(a);
  std::string name;
  if (const auto* call = dyn_cast<CallExpr>(c))
    if (const FunctionDecl* fd = call->getDirectCallee();
        fd && call->getNumArgs() == 1 &&
        (api::qualifiedName(fd) == "std::ref" || api::qualifiedName(fd) == "std::cref")) {
      if (isLocalObject(call->getArg(0), name))
        caps.push_back(
            {quoteName(name) + " passed by " + api::qualifiedName(fd), loc(call->getBeginLoc())});
      return;
    }
  const Expr* s = a->IgnoreParenImpCasts();
  if (const auto* uo = dyn_cast<UnaryOperator>(s); uo && uo->getOpcode() == UO_AddrOf) {
    if (isLocalObject(uo->getSubExpr(), name))
      caps.push_back({"the address of " + quoteName(name) + " passed", loc(uo->getBeginLoc())});
    return;
  }
  if (const auto* dre = dyn_cast<DeclRefExpr>(s))
    if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()); vd && vd->hasLocalStorage()) {
      if (vd->getType()->isArrayType()) {
        caps.push_back({"local array " + quoteName(vd->getNameAsString()) + " passed",
                        loc(dre->getBeginLoc())});
      } else if (vd->getType()->isPointerType() && vd->getInit()) {
        // p = &local; the thread receives p.
        const Expr* init = vd->getInit()->IgnoreParenImpCasts();
        std::string target;
        if (const auto* uo = dyn_cast<UnaryOperator>(init);
            uo && uo->getOpcode() == UO_AddrOf && isLocalObject(uo->getSubExpr(), target))
          caps.push_back({quoteName(vd->getNameAsString()) + " (pointing to local " +
                              quoteName(target) + ") passed",
                          loc(dre->getBeginLoc())});
      }
    }
}

// The function a new thread runs, and what of the stack its callable captures.
std::string Builder::entryOf(const Expr* e, std::vector<model::Capture>& caps, int depth) {
  if (!e || depth > 4)
    return {};
  const Expr* c = core(e);
  if (const auto* ce = dyn_cast<CXXConstructExpr>(c); ce && ce->getNumArgs() == 1)
    return entryOf(ce->getArg(0), caps, depth + 1);
  if (const auto* le = dyn_cast<LambdaExpr>(c)) {
    for (const LambdaCapture& cap : le->captures()) {
      if (!cap.capturesVariable())
        continue;
      const auto* vd = dyn_cast<VarDecl>(cap.getCapturedVar());
      if (!vd || !vd->hasLocalStorage())
        continue;
      std::string name = vd->getNameAsString();
      if (cap.getCaptureKind() == LCK_ByRef) {
        caps.push_back({quoteName(name) + " captured by reference", loc(cap.getLocation())});
      } else if (vd->getType()->isPointerType() && vd->getInit()) {
        // [p] where p = &local: the pointer is copied, its target is not.
        const Expr* init = vd->getInit()->IgnoreParenImpCasts();
        std::string target;
        if (const auto* uo = dyn_cast<UnaryOperator>(init);
            uo && uo->getOpcode() == UO_AddrOf && isLocalObject(uo->getSubExpr(), target))
          caps.push_back(
              {quoteName(name) + " (pointing to local " + quoteName(target) + ") captured",
               loc(cap.getLocation())});
      }
    }
    return usrOf(le->getCallOperator()->getCanonicalDecl());
  }
  if (const auto* uo = dyn_cast<UnaryOperator>(c); uo && uo->getOpcode() == UO_AddrOf)
    return entryOf(uo->getSubExpr(), caps, depth + 1);
  if (const auto* dre = dyn_cast<DeclRefExpr>(c)) {
    if (const auto* fd = dyn_cast<FunctionDecl>(dre->getDecl()))
      return usrOf(fd->getCanonicalDecl());
    if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl());
        vd && vd->getInit() && vd->getType()->getAsCXXRecordDecl() &&
        vd->getType()->getAsCXXRecordDecl()->isLambda())
      return entryOf(vd->getInit(), caps, depth + 1);
  }
  return {};
}

void Builder::handleThreadConstruct(const CXXConstructExpr* ce, bool jthread) {
  if (argTemps_.count(ce)) {
    // A by-value parameter: the callee owns the thread now; the source is moved from.
    bool other = false;
    if (ce->getNumArgs() == 1 && api::isStdThread(ce->getArg(0)->getType(), other)) {
      Event& ev = emit(EventKind::ThreadEscape, ce);
      ev.guard = guardKeyOf(ce->getArg(0));
      ev.moved = true;
    }
    return;
  }
  std::string target;
  if (auto it = constructTarget_.find(ce); it != constructTarget_.end())
    target = it->second;
  else {
    target = tempKey(ce);
    threadTemps_.insert(target);
  }
  Event& ev = emit(EventKind::ThreadInit, ce);
  ev.guard = target;
  ev.autoJoin = jthread;
  bool other = false;
  if (ce->getNumArgs() == 0) {
    ev.threadMode = model::ThreadMode::Default;
    return;
  }
  if (ce->getNumArgs() == 1 && api::isStdThread(ce->getArg(0)->getType(), other)) {
    ev.threadMode = model::ThreadMode::Move;
    ev.guard2 = guardKeyOf(ce->getArg(0));
    return;
  }
  ev.threadMode = model::ThreadMode::Started;
  std::vector<model::Capture> caps;
  ev.callee = entryOf(ce->getArg(0), caps);
  for (unsigned i = 1; i < ce->getNumArgs(); ++i)
    captureArg(ce->getArg(i), caps);
  ev.captures = std::move(caps);
  ev.calleeName = callableName(ce->getArg(0));
}

// Thread operations: join/detach on std::thread, move assignment, and the C APIs.
bool Builder::handleThreadCall(const CallExpr* call) {
  const FunctionDecl* fd = call->getDirectCallee();
  if (!fd || !fd->getIdentifier()) {
    if (const auto* oc = dyn_cast<CXXOperatorCallExpr>(call);
        oc && oc->getOperator() == OO_Equal && oc->getNumArgs() == 2) {
      bool jthread = false;
      if (api::isStdThread(oc->getArg(0)->getType(), jthread)) {
        Event& ev = emit(EventKind::ThreadMove, call);
        ev.guard = preciseKey(oc->getArg(0));
        ev.guard2 = guardKeyOf(oc->getArg(1));
        ev.autoJoin = jthread;
        return true;
      }
    }
    return false;
  }
  llvm::StringRef name = fd->getName();
  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
    bool jthread = false;
    const Expr* obj = mc->getImplicitObjectArgument();
    if (!obj || !api::isStdThread(obj->getType(), jthread))
      return false;
    if (name == "join" || name == "detach") {
      if (name == "join")
        emit(EventKind::Blocking, call).what = api::qualifiedName(fd);
      Event& ev = emit(name == "join" ? EventKind::ThreadJoin : EventKind::ThreadDetach, call);
      ev.guard = preciseKey(obj);
      ev.autoJoin = jthread;
      return true;
    }
    return name == "joinable" || name == "get_id" || name == "native_handle" ||
           name == "get_stop_token" || name == "request_stop";
  }
  bool isPthread = name == "pthread_create" || name == "thrd_create";
  if (isPthread && call->getNumArgs() >= 3) {
    Event& ev = emit(EventKind::ThreadInit, call);
    ev.handle = true;
    ev.threadMode = model::ThreadMode::Started;
    bool precise = true;
    std::string declKey;
    ev.guard = pointeeKey(call->getArg(0), precise, declKey);
    if (!precise)
      ev.guard.clear();
    std::vector<model::Capture> caps;
    unsigned fnArg = name == "pthread_create" ? 2 : 1;
    ev.callee = entryOf(call->getArg(fnArg), caps);
    ev.calleeName = callableName(call->getArg(fnArg));
    if (fnArg + 1 < call->getNumArgs())
      captureArg(call->getArg(fnArg + 1), caps);
    ev.captures = std::move(caps);
    if (name == "pthread_create") {
      const Expr* attr = call->getArg(1)->IgnoreParenImpCasts();
      if (const auto* uo = dyn_cast<UnaryOperator>(attr); uo && uo->getOpcode() == UO_AddrOf)
        if (const auto* dre = dyn_cast<DeclRefExpr>(uo->getSubExpr()->IgnoreParenImpCasts()))
          if (const auto* vd = dyn_cast<VarDecl>(dre->getDecl()))
            if (auto it = detachAttrs_.find(vd); it != detachAttrs_.end())
              ev.detached = it->second;
    }
    ev.sym = nextSym_++;
    ev.successValue = 0; // 0 and thrd_success
    exprSym_[call] = ev.sym;
    return true;
  }
  bool join = name == "pthread_join" || name == "thrd_join";
  bool detach = name == "pthread_detach" || name == "thrd_detach";
  if ((join || detach) && call->getNumArgs() >= 1) {
    if (join)
      emit(EventKind::Blocking, call).what = name.str();
    Event& ev = emit(join ? EventKind::ThreadJoin : EventKind::ThreadDetach, call);
    ev.handle = true;
    const Expr* h = call->getArg(0)->IgnoreParenImpCasts();
    if (const auto* inner = dyn_cast<CallExpr>(h))
      if (const FunctionDecl* f = inner->getDirectCallee();
          f && f->getIdentifier() &&
          (f->getName() == "pthread_self" || f->getName() == "thrd_current"))
        ev.self = true;
    if (!ev.self) {
      bool precise = true;
      std::string declKey;
      ev.guard = objectKey(h, precise, declKey);
      if (!precise)
        ev.guard.clear();
    }
    return true;
  }
  return false;
}

// Whether a thread object bound to parameter `param` of `callee` by reference is the callee's to
// keep. Only a non-const rvalue reference can be: it exists to be moved from. A callee whose body
// we cannot see (push_back, emplace_back, insert of the standard containers, or a function of
// another file) is taken to do so; a visible one that never names the parameter drops it.
bool Builder::takesThreadOver(const FunctionDecl* callee, unsigned param) const {
  if (!callee || param >= callee->getNumParams())
    return false;
  QualType t = callee->getParamDecl(param)->getType();
  if (!t->isRValueReferenceType() || t.getNonReferenceType().isConstQualified())
    return false;
  const FunctionDecl* def = nullptr;
  if (inSystemHeader(callee) || !callee->hasBody(def) || param >= def->getNumParams())
    return true;
  return refersTo(def->getBody(), def->getParamDecl(param));
}

// A std::thread temporary passed to a parameter that takes it over: the temporary is moved from,
// so its destruction at the end of the full expression is harmless.
void Builder::handOverTemporary(const Expr* arg, const FunctionDecl* callee, unsigned param) {
  const auto* ce = dyn_cast_or_null<CXXConstructExpr>(core(arg));
  bool jthread = false;
  if (!ce || argTemps_.count(ce) || !api::isStdThread(ce->getType(), jthread) ||
      !takesThreadOver(callee, param))
    return;
  auto it = tempKeys_.find(ce);
  if (it == tempKeys_.end() || !threadTemps_.count(it->second))
    return;
  Event& ev = emit(EventKind::ThreadEscape, arg);
  ev.guard = it->second;
  ev.moved = true;
}

// A thread object or handle handed to other code: a container, a callee that may join it.
void Builder::emitEscapes(const CallExpr* call) {
  if (isStdMove(call))
    return; // std::move(t) moves nothing by itself; what receives it decides
  const FunctionDecl* callee = call->getDirectCallee();
  unsigned first = isa<CXXOperatorCallExpr>(call) && isa_and_nonnull<CXXMethodDecl>(callee);
  for (unsigned i = first; i < call->getNumArgs(); ++i)
    handOverTemporary(call->getArg(i), callee, i - first);
  for (const Expr* a : call->arguments()) {
    const Expr* c = core(a);
    bool moved = isStdMove(c);
    if (moved)
      c = core(cast<CallExpr>(c)->getArg(0));
    bool jthread = false;
    bool isHandlePtr = false;
    if (const auto* uo = dyn_cast<UnaryOperator>(c);
        uo && uo->getOpcode() == UO_AddrOf && api::isThreadHandle(uo->getSubExpr()->getType())) {
      c = uo->getSubExpr()->IgnoreParenImpCasts();
      isHandlePtr = true;
    }
    if (!isHandlePtr && !api::isStdThread(c->getType(), jthread))
      continue;
    if (!isa<DeclRefExpr>(c) && !isa<MemberExpr>(c))
      continue;
    bool precise = true;
    std::string declKey;
    Event& ev = emit(EventKind::ThreadEscape, a);
    ev.guard = objectKey(c, precise, declKey);
    ev.moved = moved;
    ev.handle = isHandlePtr;
  }
}

SourceLocation Builder::scopeEndLoc(const Stmt* trigger) const {
  if (const auto* cs = dyn_cast_or_null<CompoundStmt>(trigger))
    return cs->getRBracLoc();
  if (trigger && isa<ReturnStmt>(trigger))
    return trigger->getBeginLoc();
  return trigger ? trigger->getEndLoc() : fn_->getBody()->getEndLoc();
}

bool Builder::containsMutex(const RecordDecl* rd, int depth) const {
  if (!rd || !rd->getDefinition() || depth > 3)
    return false;
  for (const FieldDecl* f : rd->getDefinition()->fields()) {
    QualType t = f->getType();
    std::string name = api::lockTypeName(t);
    if (name == "std::mutex" || name == "std::timed_mutex" || name == "std::recursive_mutex" ||
        name == "std::recursive_timed_mutex" || name == "std::shared_mutex" ||
        name == "std::shared_timed_mutex" || name == "pthread_mutex_t" ||
        name == "pthread_rwlock_t" || name == "pthread_spinlock_t" || name == "mtx_t")
      return true;
    if (containsMutex(t->getAsRecordDecl(), depth + 1))
      return true;
  }
  return false;
}

void Builder::handleLifetimeEnd(const VarDecl* vd, const Stmt* trigger) {
  QualType t = vd->getType();
  if (api::isThreadHandle(t) && vd->hasLocalStorage()) {
    Event ev{EventKind::ThreadEnd};
    ev.loc = loc(scopeEndLoc(trigger));
    ev.guard = varKey(vd);
    ev.handle = true;
    out_->push_back(std::move(ev));
    return;
  }
  std::string typeName = api::lockTypeName(t);
  const CXXRecordDecl* rd = t->getAsCXXRecordDecl();
  bool isMutex = typeName == "std::mutex" || typeName == "std::timed_mutex" ||
                 typeName == "std::recursive_mutex" || typeName == "std::recursive_timed_mutex" ||
                 typeName == "std::shared_mutex" || typeName == "std::shared_timed_mutex" ||
                 typeName == "pthread_mutex_t" || typeName == "pthread_rwlock_t" ||
                 typeName == "pthread_spinlock_t" || typeName == "mtx_t" ||
                 (rd && api::isUserLockable(rd));
  if (!vd->hasLocalStorage())
    return;
  if (!isMutex) {
    if (containsMutex(t->getAsRecordDecl(), 0)) {
      Event ev{EventKind::Destroy};
      ev.loc = loc(scopeEndLoc(trigger));
      ev.what = scopeEndKind(trigger);
      ev.var = varKey(vd);
      out_->push_back(std::move(ev));
    }
    return;
  }
  Event ev{EventKind::Destroy};
  ev.loc = loc(scopeEndLoc(trigger));
  ev.what = scopeEndKind(trigger);
  ObjRef r;
  r.key = varKey(vd);
  r.display = vd->getNameAsString();
  r.typeName = typeName;
  r.recursion = api::typeRecursion(t);
  r.local = true;
  ev.locks.push_back(std::move(r));
  out_->push_back(std::move(ev));
}

void Builder::handleAutomaticDtor(const VarDecl* vd, const Stmt* trigger) {
  SourceLocation at = scopeEndLoc(trigger);
  QualType t = vd->getType();
  if (bool jthread = false; api::isStdThread(t, jthread)) {
    Event ev{EventKind::ThreadEnd};
    ev.loc = loc(at);
    ev.guard = varKey(vd);
    ev.autoJoin = jthread;
    out_->push_back(std::move(ev));
    return;
  }
  if (api::guardKind(t) != api::GuardKind::None) {
    Event ev{EventKind::GuardEnd};
    ev.loc = loc(at);
    ev.guard = varKey(vd);
    out_->push_back(std::move(ev));
    return;
  }
  const CXXRecordDecl* rd = t->getAsCXXRecordDecl();
  if (!rd)
    return;
  const CXXDestructorDecl* dtor = rd->getDestructor();
  if (!dtor || dtor->isTrivial() || inSystemHeader(dtor))
    return;
  Event ev{EventKind::Call};
  ev.loc = loc(at);
  ev.callee = usrOf(dtor);
  ev.calleeName = nameOf(dtor);
  ev.destructor = true;
  ev.thisArg.key = varKey(vd);
  ev.thisArg.display = vd->getNameAsString();
  ev.thisArg.local = true;
  out_->push_back(std::move(ev));
}

void Builder::handleInitializer(const CXXCtorInitializer* init) {
  const FieldDecl* field = init->getMember();
  if (!field || !init->getInit())
    return;
  QualType t = field->getType();
  if (!t->isPointerType() && !t->isReferenceType())
    return;
  Event ev{EventKind::Bind};
  ev.loc = loc(init->getSourceLocation());
  ev.var = "T." + field->getNameAsString() + "*";
  // A default member initializer (`Mutex* m_{};`) is written at the field, not at this
  // constructor: read the expression it stands for.
  const Expr* value = init->getInit();
  if (const auto* d = dyn_cast<CXXDefaultInitExpr>(value))
    value = d->getExpr();
  // A null pointer designates nothing; leaving locks empty says so (tbb's unique_scoped_lock
  // starts with `m_mutex{}` and binds it in acquire()).
  if (!designatesNothing(value))
    ev.locks.push_back(makeRef(value, t->isPointerType()));
  out_->push_back(std::move(ev));
}

namespace {

const Expr* initExpr(const CXXCtorInitializer* init) {
  const Expr* e = init->getInit();
  if (const auto* d = dyn_cast_or_null<CXXDefaultInitExpr>(e))
    e = d->getExpr();
  return e ? e->IgnoreImplicit() : nullptr;
}

// A pointer or reference member that cannot be rebound after construction.
bool fixedPointerField(const FieldDecl* f) {
  QualType t = f->getType();
  return t->isReferenceType() || (t->isPointerType() && t.isConstQualified());
}

bool mentionsParameter(const Stmt* s) {
  if (!s)
    return false;
  if (const auto* dre = dyn_cast<DeclRefExpr>(s); dre && isa<ParmVarDecl>(dre->getDecl()))
    return true;
  for (const Stmt* c : s->children())
    if (mentionsParameter(c))
      return true;
  return false;
}

// The parameter a constructor stores into a fixed pointer member: `CondVar(Mutex* mu) : mu_(mu)`.
std::map<const FieldDecl*, unsigned> fieldsFromParameters(const CXXConstructorDecl* ctor) {
  std::map<const FieldDecl*, unsigned> out;
  const FunctionDecl* def = nullptr;
  if (!ctor || !ctor->hasBody(def))
    return out;
  for (const CXXCtorInitializer* init : cast<CXXConstructorDecl>(def)->inits()) {
    const FieldDecl* f = init->getMember();
    const Expr* e = initExpr(init);
    if (!f || !e || !fixedPointerField(f))
      continue;
    if (const auto* dre = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()))
      if (const auto* p = dyn_cast<ParmVarDecl>(dre->getDecl()))
        out[f] = p->getFunctionScopeIndex();
  }
  return out;
}

} // namespace

// What every constructor of the method's class fixes for the object's life: a member `cv_` built
// as `cv_(&mu_)` whose constructor keeps its argument in a const pointer or reference member
// (leveldb's port::CondVar over the DB's mutex) always points at this object's `mu_`; so does a
// const pointer member of the class itself initialised from this object (not from a parameter).
void Builder::emitMemberInvariants(std::vector<Event>& entry) {
  const auto* md = dyn_cast<CXXMethodDecl>(fn_);
  if (!md || md->isStatic() || isa<CXXConstructorDecl>(md) || md->getParent()->isLambda())
    return;
  const CXXRecordDecl* rd = md->getParent()->getDefinition();
  if (!rd)
    return;
  std::map<std::string, std::optional<ObjRef>> binds; // nullopt: the constructors disagree
  unsigned ctors = 0;
  for (const CXXConstructorDecl* decl : rd->ctors()) {
    const FunctionDecl* def = nullptr;
    if (decl->isCopyOrMoveConstructor() || !decl->hasBody(def))
      continue;
    ++ctors;
    std::map<std::string, ObjRef> mine;
    for (const CXXCtorInitializer* init : cast<CXXConstructorDecl>(def)->inits()) {
      const FieldDecl* f = init->getMember();
      const Expr* e = initExpr(init);
      if (!f || !e)
        continue;
      if (fixedPointerField(f) && !mentionsParameter(e)) {
        mine["T." + f->getNameAsString() + "*"] = makeRef(e, f->getType()->isPointerType());
        continue;
      }
      const auto* ce = dyn_cast<CXXConstructExpr>(e);
      if (!ce)
        continue;
      for (const auto& [inner, index] : fieldsFromParameters(ce->getConstructor()))
        if (index < ce->getNumArgs() && !mentionsParameter(ce->getArg(index)))
          mine["T." + f->getNameAsString() + "." + inner->getNameAsString() + "*"] =
              makeRef(ce->getArg(index), inner->getType()->isPointerType());
    }
    for (auto& [var, ref] : mine) {
      auto [it, fresh] = binds.emplace(var, ref);
      if (!fresh && (!it->second || it->second->key != ref.key))
        it->second.reset();
    }
    for (auto& [var, ref] : binds)
      if (!mine.count(var))
        ref.reset();
  }
  if (ctors == 0)
    return;
  for (const auto& [var, ref] : binds) {
    if (!ref || !ref->valid())
      continue;
    Event ev{EventKind::Bind};
    ev.loc = m_->loc;
    ev.var = var;
    ev.locks.push_back(*ref);
    entry.push_back(std::move(ev));
  }
}

std::unique_ptr<model::FunctionModel> Builder::build() {
  CFG::BuildOptions opts;
  opts.AddImplicitDtors = true;
  opts.AddTemporaryDtors = true;
  opts.AddInitializers = true;
  opts.AddCXXDefaultInitExprInCtors = true;
  // Lifetime ends mark where trivially destructible mutexes (std::mutex in libstdc++,
  // pthread_mutex_t) die, which implicit destructors do not show.
  opts.AddLifetime = true;
  // Where a lambda is created matters when it captures a thread by reference (handleLambda).
  opts.setAlwaysAdd(Stmt::LambdaExprClass);
  // So is where a pointer is dereferenced: a later null check of it is decided (Dereference).
  opts.setAlwaysAdd(Stmt::MemberExprClass);
  std::unique_ptr<CFG> cfg = CFG::buildCFG(fn_, fn_->getBody(), &ctx_, opts);
  if (!cfg)
    return nullptr;

  auto model = std::make_unique<model::FunctionModel>();
  m_ = model.get();
  m_->id = usrOf(fn_->getCanonicalDecl());
  m_->name = nameOf(fn_);
  if (const auto* md = dyn_cast<CXXMethodDecl>(fn_); md && md->getParent()->isLambda()) {
    const auto* outer =
        dyn_cast_or_null<FunctionDecl>(md->getParent()->getParentFunctionOrMethod());
    m_->name = "lambda in " + (outer ? nameOf(outer) : std::string("file scope"));
  }
  m_->loc = loc(fn_->getLocation());
  m_->endLoc = loc(fn_->getBody()->getEndLoc());
  m_->isMain = fn_->isMain();
  m_->returnsBool = fn_->getReturnType()->isBooleanType();
  m_->returnsPointer = fn_->getReturnType()->isPointerType();
  m_->isConstructor = isa<CXXConstructorDecl>(fn_);
  const LangOptions& lo = ctx_.getLangOpts();
  m_->exceptionsEnabled = lo.CPlusPlus && lo.CXXExceptions;
  bool nothrow = false;
  if (const auto* fpt = fn_->getType()->getAs<FunctionProtoType>())
    nothrow = fpt->isNothrow();
  m_->noexceptSpec = !m_->exceptionsEnabled || nothrow || fn_->isExternC();
  for (const ParmVarDecl* p : fn_->parameters()) {
    m_->paramNames.push_back(p->getNameAsString());
    m_->paramAtoms.push_back(p->getType()->isIntegralOrEnumerationType() ? "v:" + varKey(p)
                                                                         : std::string());
  }

  prepass(fn_->getBody(), nullptr);
  {
    std::vector<std::pair<const VarDecl*, const Expr*>> assigns;
    collectAssignments(fn_->getBody(), assigns);
    for (const auto& [vd, value] : assigns) {
      if (!vd->isLocalVarDecl() || !vd->getType()->isIntegerType())
        continue;
      bool fromOpen = opensFile(value, 0);
      auto [it, inserted] = fileFds_.try_emplace(vd, fromOpen);
      it->second = it->second && fromOpen;
    }
  }
  // A member a constructor builds with a constructor of its own (`cv(mu)`) is this object's
  // member, not a temporary: what that constructor stores in it (CondVar keeps `mu`) is then part
  // of this constructor's summary, and a local `Writer w(&mutex_)` knows that w.cv waits with
  // mutex_. Guards and threads keep their own handling.
  if (const auto* ctor = dyn_cast<CXXConstructorDecl>(fn_))
    for (const CXXCtorInitializer* init : ctor->inits())
      if (const FieldDecl* f = init->getMember(); f && init->getInit())
        if (const auto* ce = dyn_cast<CXXConstructExpr>(core(init->getInit()));
            ce && api::guardKind(ce->getType()) == api::GuardKind::None &&
            !constructTarget_.count(ce)) {
          bool jthread = false;
          if (!api::isStdThread(ce->getType(), jthread))
            constructTarget_[ce] = "T." + f->getNameAsString();
        }
  for (const CFGBlock* b : *cfg)
    if (const auto* ts = dyn_cast_or_null<CXXTryStmt>(b->getTerminatorStmt()))
      for (const CFGBlock::AdjacentBlock& s : b->succs())
        if (const CFGBlock* h = s.getReachableBlock())
          tryHandlers_[ts].push_back(h->getBlockID());

  m_->blocks.resize(cfg->getNumBlockIDs());
  m_->entry = cfg->getEntry().getBlockID();
  m_->exit = cfg->getExit().getBlockID();
  std::vector<Event> invariants;
  emitMemberInvariants(invariants);
  for (const CFGBlock* b : *cfg) {
    model::Block& mb = m_->blocks[b->getBlockID()];
    out_ = &mb.events;
    if (b->getBlockID() == m_->entry)
      mb.events = std::move(invariants);
    mb.isHandler = isa_and_nonnull<CXXCatchStmt>(b->getLabel());
    mb.noReturn = b->hasNoReturnElement();
    for (const CFGElement& el : *b) {
      if (auto s = el.getAs<CFGStmt>())
        handleStmt(s->getStmt());
      else if (auto d = el.getAs<CFGAutomaticObjDtor>())
        handleAutomaticDtor(d->getVarDecl(), d->getTriggerStmt());
      else if (auto t = el.getAs<CFGTemporaryDtor>()) {
        const Expr* c = core(t->getBindTemporaryExpr()->getSubExpr());
        auto it = tempKeys_.find(c);
        if (it != tempKeys_.end() && threadTemps_.count(it->second)) {
          Event ev{EventKind::ThreadEnd};
          ev.guard = it->second;
          ev.loc = loc(t->getBindTemporaryExpr()->getBeginLoc());
          out_->push_back(std::move(ev));
        } else if (it != tempKeys_.end()) {
          Event ev{EventKind::GuardEnd};
          ev.guard = it->second;
          ev.loc = loc(t->getBindTemporaryExpr()->getEndLoc());
          out_->push_back(std::move(ev));
        }
      } else if (auto l = el.getAs<CFGLifetimeEnds>()) {
        handleLifetimeEnd(l->getVarDecl(), l->getTriggerStmt());
      } else if (auto i = el.getAs<CFGInitializer>())
        handleInitializer(i->getInitializer());
    }
    for (const CFGBlock::AdjacentBlock& s : b->succs()) {
      const CFGBlock* r = s.getReachableBlock();
      mb.succs.push_back(r ? static_cast<int>(r->getBlockID()) : -1);
    }
    const Stmt* term = b->getTerminatorStmt();
    if (const auto* sw = dyn_cast_or_null<SwitchStmt>(term); sw && !sw->getConditionVariable()) {
      // Each successor is entered through a case label (or the default, or past the switch
      // when no case matches): with the value known, only its case runs.
      Value v = valueOf(sw->getCond());
      bool exact = v.kind == Value::Kind::Atom;
      std::vector<std::optional<int64_t>> values;
      for (const CFGBlock::AdjacentBlock& succ : b->succs()) {
        const CFGBlock* target = succ.getReachableBlock() ? succ.getReachableBlock()
                                                          : succ.getPossiblyUnreachableBlock();
        const auto* cs = target ? dyn_cast_or_null<CaseStmt>(target->getLabel()) : nullptr;
        std::optional<int64_t> value;
        if (cs) {
          Expr::EvalResult r;
          if (cs->caseStmtIsGNURange() || !cs->getLHS()->EvaluateAsInt(r, ctx_))
            exact = false;
          else
            value = r.Val.getInt().getExtValue();
        }
        values.push_back(value);
      }
      if (exact && values.size() == mb.succs.size()) {
        mb.switchAtom = v.atom;
        mb.caseValues = std::move(values);
      }
    }
    if (term && b->succ_size() == 2 && !isa<CXXTryStmt>(term) && !isa<SwitchStmt>(term)) {
      const auto* cond = dyn_cast_or_null<Expr>(b->getTerminatorCondition());
      // In `if (a && b)` the block that evaluates b branches on b, not on the whole condition.
      if (const auto* bo = dyn_cast_or_null<BinaryOperator>(cond ? cond->IgnoreParens() : nullptr);
          bo && bo->isLogicalOp() && term != bo)
        while (const auto* inner = dyn_cast<BinaryOperator>(cond->IgnoreParens())) {
          if (!inner->isLogicalOp())
            break;
          cond = inner->getRHS();
        }
      if (cond) {
        mb.cond = truthOf(cond);
        // A range-for's test is compiler-made (`__begin != __end`): no words for it in a note.
        if (!isa<CXXForRangeStmt>(term))
          mb.condText = text(cond);
        mb.condLoc = loc(cond->getBeginLoc());
      }
    }
    if (term) {
      if (isa<BreakStmt>(term))
        mb.jump = model::Block::Jump::Break;
      else if (isa<ContinueStmt>(term))
        mb.jump = model::Block::Jump::Continue;
      else if (isa<GotoStmt>(term))
        mb.jump = model::Block::Jump::Goto;
      if (mb.jump != model::Block::Jump::None)
        mb.jumpLoc = loc(term->getBeginLoc());
    }
  }
  return model;
}

} // namespace

std::unique_ptr<model::FunctionModel> buildFunctionModel(ASTContext& ctx, const FunctionDecl* fn,
                                                         std::vector<model::LockInitFact>& inits) {
  if (!fn || !fn->hasBody())
    return nullptr;
  return Builder(ctx, fn, inits).build();
}

} // namespace threadcheck::checkers
