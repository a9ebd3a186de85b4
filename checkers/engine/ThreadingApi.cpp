#include "engine/ThreadingApi.h"

#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/ADT/StringSet.h>

namespace threadcheck::checkers::api {

using namespace clang;

std::string qualifiedName(const NamedDecl* decl) {
  if (!decl)
    return {};
  std::string name = decl->getQualifiedNameAsString();
  // libc++ spells std as std::__1; libstdc++ puts some types in std::__cxx11.
  for (llvm::StringRef inl : {"std::__1::", "std::__cxx11::"}) {
    size_t pos = name.find(inl.str());
    if (pos != std::string::npos)
      name.replace(pos, inl.size(), "std::");
  }
  return name;
}

std::string genericName(const NamedDecl* decl) {
  if (!decl)
    return {};
  if (const auto* fd = dyn_cast<FunctionDecl>(decl))
    if (const FunctionDecl* pattern = fd->getTemplateInstantiationPattern(/*ForDefinition=*/false))
      decl = pattern;
  // A member of a record: the record's generic name, then the member's own name. A record's own
  // qualified name carries no template arguments, but its members' names carry the record's.
  if (const auto* rd = dyn_cast<CXXRecordDecl>(decl->getDeclContext()); rd && !rd->isLambda()) {
    std::string member = decl->getNameAsString();
    if (const auto* fd = dyn_cast<FunctionDecl>(decl))
      member = fd->getNameInfo().getAsString();
    return genericName(rd) + "::" + member;
  }
  return qualifiedName(decl);
}

bool isInstantiatedCode(const FunctionDecl* fn) {
  for (const DeclContext* dc = fn; dc; dc = dc->getParent()) {
    if (const auto* fd = dyn_cast<FunctionDecl>(dc)) {
      if (fd->isTemplateInstantiation() || fd->getTemplateInstantiationPattern(false))
        return true;
    } else if (const auto* rd = dyn_cast<CXXRecordDecl>(dc)) {
      if (rd->getTemplateSpecializationKind() != TSK_Undeclared &&
          rd->getTemplateSpecializationKind() != TSK_ExplicitSpecialization)
        return true;
    }
  }
  return false;
}

std::string findingFunctionName(const FunctionDecl* fn) {
  return fn && isInstantiatedCode(fn) ? genericName(fn) : qualifiedName(fn);
}

namespace {

const CXXRecordDecl* recordOf(QualType type) {
  type = type.getNonReferenceType().getCanonicalType();
  if (const auto* ptr = type->getAs<PointerType>())
    type = ptr->getPointeeType().getCanonicalType();
  return type->getAsCXXRecordDecl();
}

std::string recordName(QualType type) {
  const CXXRecordDecl* rd = recordOf(type);
  return rd ? qualifiedName(rd) : std::string();
}

// The typedef name of C types such as pthread_mutex_t is lost in the canonical type (it is an
// anonymous union); look through typedef sugar instead.
std::string cTypedefName(QualType type) {
  type = type.getNonReferenceType();
  if (const auto* ptr = type->getAs<PointerType>())
    type = ptr->getPointeeType();
  while (true) {
    type = type.getUnqualifiedType();
    if (const auto* td = type->getAs<TypedefType>()) {
      llvm::StringRef name = td->getDecl()->getName();
      if (name == "pthread_mutex_t" || name == "pthread_rwlock_t" ||
          name == "pthread_spinlock_t" || name == "mtx_t" || name == "pthread_t" ||
          name == "thrd_t")
        return name.str();
      QualType next = td->desugar();
      if (next == type)
        break;
      type = next;
      continue;
    }
    break;
  }
  return {};
}

bool isStdMutexName(llvm::StringRef name) {
  return name == "std::mutex" || name == "std::timed_mutex" || name == "std::recursive_mutex" ||
         name == "std::recursive_timed_mutex" || name == "std::shared_mutex" ||
         name == "std::shared_timed_mutex";
}

const Expr* arg(const CallExpr* call, unsigned i) {
  return i < call->getNumArgs() ? call->getArg(i) : nullptr;
}

const FunctionDecl* calleeOf(const CallExpr* call) { return call->getDirectCallee(); }

bool isGlobalCFunction(const FunctionDecl* fd) {
  if (!fd)
    return false;
  const DeclContext* dc = fd->getDeclContext()->getRedeclContext();
  return dc->isTranslationUnit() || dc->isExternCContext();
}

// `wait_for(0s)` and `sleep_for(std::chrono::seconds(0))` poll; they do not block. A duration is
// zero when every literal it is built from is zero.
bool allLiteralsZero(const Stmt* s, bool& sawLiteral) {
  if (!s)
    return true;
  if (const auto* il = dyn_cast<IntegerLiteral>(s)) {
    sawLiteral = true;
    return il->getValue() == 0;
  }
  if (const auto* fl = dyn_cast<FloatingLiteral>(s)) {
    sawLiteral = true;
    return fl->getValue().isZero();
  }
  for (const Stmt* child : s->children())
    if (!allLiteralsZero(child, sawLiteral))
      return false;
  return true;
}

bool isZeroDuration(const Expr* e) {
  bool saw = false;
  return e && allLiteralsZero(e, saw) && saw;
}

// The integer constant an expression evaluates to (a literal, an enumerator, a constant).
std::optional<int64_t> constantOf(const Expr* e, const ASTContext& ctx) {
  Expr::EvalResult r;
  if (!e || e->isValueDependent() || !e->EvaluateAsInt(r, ctx))
    return std::nullopt;
  return r.Val.getInt().getExtValue();
}

// `&tv` where `struct timeval tv = {0, 0};` (or `{}`): a zero timeout the call only reads.
bool pointsToZeroTime(const Expr* e) {
  const auto* uo = e ? dyn_cast<UnaryOperator>(e->IgnoreParenImpCasts()) : nullptr;
  if (!uo || uo->getOpcode() != UO_AddrOf)
    return false;
  const auto* dre = dyn_cast<DeclRefExpr>(uo->getSubExpr()->IgnoreParenImpCasts());
  const auto* vd = dre ? dyn_cast<VarDecl>(dre->getDecl()) : nullptr;
  if (!vd || !vd->getInit())
    return false;
  bool saw = false;
  const auto* list = dyn_cast<InitListExpr>(vd->getInit()->IgnoreImplicit());
  return list && allLiteralsZero(list, saw);
}

// poll/epoll_wait with a timeout of 0, select/pselect/ppoll with a zero time: they return at
// once, so they do not block whoever waits for a lock the caller holds.
bool zeroTimeout(const CallExpr* call, llvm::StringRef name) {
  const ASTContext& ctx = calleeOf(call)->getASTContext();
  if (name == "poll" || name == "epoll_wait" || name == "epoll_pwait") {
    std::optional<int64_t> ms = constantOf(arg(call, name == "poll" ? 2 : 3), ctx);
    return ms && *ms == 0;
  }
  if (name == "select" || name == "pselect")
    return pointsToZeroTime(arg(call, 4));
  if (name == "ppoll")
    return pointsToZeroTime(arg(call, 2));
  return false;
}

} // namespace

std::optional<PrimitiveCall> classifyPrimitive(const CallExpr* call) {
  const FunctionDecl* fd = calleeOf(call);
  if (!fd || !fd->getIdentifier())
    return std::nullopt;
  llvm::StringRef name = fd->getName();

  if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
    const auto* md = dyn_cast<CXXMethodDecl>(fd);
    if (!md || !isStdMutexName(qualifiedName(md->getParent())))
      return std::nullopt;
    PrimitiveCall pc{};
    pc.object = mc->getImplicitObjectArgument();
    if (mc->getImplicitObjectArgument() && mc->getImplicitObjectArgument()->getType()->isPointerType()) {
      pc.pointer = pc.object;
      pc.object = nullptr;
    }
    pc.successValue = 1;
    if (name == "lock")
      pc.op = PrimitiveOp::Lock;
    else if (name == "lock_shared")
      pc.op = PrimitiveOp::LockShared;
    else if (name == "try_lock" || name == "try_lock_for" || name == "try_lock_until")
      pc.op = PrimitiveOp::TryLock;
    else if (name == "try_lock_shared" || name == "try_lock_shared_for" ||
             name == "try_lock_shared_until")
      pc.op = PrimitiveOp::TryLockShared;
    else if (name == "unlock")
      pc.op = PrimitiveOp::Unlock;
    else if (name == "unlock_shared")
      pc.op = PrimitiveOp::UnlockShared;
    else
      return std::nullopt;
    return pc;
  }

  if (!isGlobalCFunction(fd))
    return std::nullopt;
  static const struct {
    const char* name;
    PrimitiveOp op;
  } table[] = {
      {"pthread_mutex_lock", PrimitiveOp::Lock},
      {"pthread_mutex_trylock", PrimitiveOp::TryLock},
      {"pthread_mutex_timedlock", PrimitiveOp::TryLock},
      {"pthread_mutex_clocklock", PrimitiveOp::TryLock},
      {"pthread_mutex_unlock", PrimitiveOp::Unlock},
      {"pthread_mutex_destroy", PrimitiveOp::Destroy},
      {"pthread_mutex_init", PrimitiveOp::Init},
      {"pthread_rwlock_wrlock", PrimitiveOp::Lock},
      {"pthread_rwlock_trywrlock", PrimitiveOp::TryLock},
      {"pthread_rwlock_timedwrlock", PrimitiveOp::TryLock},
      {"pthread_rwlock_clockwrlock", PrimitiveOp::TryLock},
      {"pthread_rwlock_rdlock", PrimitiveOp::LockShared},
      {"pthread_rwlock_tryrdlock", PrimitiveOp::TryLockShared},
      {"pthread_rwlock_timedrdlock", PrimitiveOp::TryLockShared},
      {"pthread_rwlock_clockrdlock", PrimitiveOp::TryLockShared},
      {"pthread_rwlock_unlock", PrimitiveOp::Unlock},
      {"pthread_rwlock_destroy", PrimitiveOp::Destroy},
      {"pthread_rwlock_init", PrimitiveOp::Init},
      {"pthread_spin_lock", PrimitiveOp::Lock},
      {"pthread_spin_trylock", PrimitiveOp::TryLock},
      {"pthread_spin_unlock", PrimitiveOp::Unlock},
      {"pthread_spin_destroy", PrimitiveOp::Destroy},
      {"pthread_spin_init", PrimitiveOp::Init},
      {"mtx_lock", PrimitiveOp::Lock},
      {"mtx_trylock", PrimitiveOp::TryLock},
      {"mtx_timedlock", PrimitiveOp::TryLock},
      {"mtx_unlock", PrimitiveOp::Unlock},
      {"mtx_destroy", PrimitiveOp::Destroy},
      {"mtx_init", PrimitiveOp::Init},
  };
  for (const auto& entry : table) {
    if (name != entry.name)
      continue;
    PrimitiveCall pc{};
    pc.op = entry.op;
    pc.pointer = arg(call, 0);
    if (!pc.pointer)
      return std::nullopt;
    // POSIX and C11 both report success as 0 (thrd_success is 0 in every libc we know).
    pc.successValue = 0;
    if (entry.op == PrimitiveOp::Init) {
      pc.isC11Init = name == "mtx_init";
      pc.initAttr = arg(call, 1);
    }
    return pc;
  }
  return std::nullopt;
}

MultiLock classifyMultiLock(const CallExpr* call) {
  const FunctionDecl* fd = calleeOf(call);
  if (!fd)
    return MultiLock::None;
  std::string q = qualifiedName(fd);
  if (q == "std::lock")
    return MultiLock::Lock;
  if (q == "std::try_lock")
    return MultiLock::TryLock;
  return MultiLock::None;
}

GuardKind guardKind(QualType type) {
  std::string name = recordName(type.getNonReferenceType());
  if (type->isPointerType())
    return GuardKind::None;
  if (name == "std::lock_guard")
    return GuardKind::LockGuard;
  if (name == "std::scoped_lock")
    return GuardKind::ScopedLock;
  if (name == "std::unique_lock")
    return GuardKind::UniqueLock;
  if (name == "std::shared_lock")
    return GuardKind::SharedLock;
  return GuardKind::None;
}

const char* guardName(GuardKind kind) {
  switch (kind) {
  case GuardKind::LockGuard:
    return "std::lock_guard";
  case GuardKind::ScopedLock:
    return "std::scoped_lock";
  case GuardKind::UniqueLock:
    return "std::unique_lock";
  case GuardKind::SharedLock:
    return "std::shared_lock";
  case GuardKind::None:
    break;
  }
  return "guard";
}

namespace {

bool hasLockAndUnlock(const CXXRecordDecl* record) {
  if (!record || !record->hasDefinition())
    return false;
  record = record->getDefinition();
  bool hasLock = false, hasUnlock = false;
  for (const CXXMethodDecl* md : record->methods()) {
    if (!md->getIdentifier())
      continue;
    hasLock |= md->getName() == "lock";
    hasUnlock |= md->getName() == "unlock";
  }
  return hasLock && hasUnlock;
}

// What a guard's constructor is given: a mutex, or another guard (boost's upgrade_to_unique_lock
// takes an upgrade_lock), by reference or pointer.
bool isLockableParam(QualType type) {
  QualType pointee = type->isReferenceType() ? type.getNonReferenceType()
                     : type->isPointerType() ? type->getPointeeType()
                                             : QualType();
  if (pointee.isNull())
    return false;
  std::string c = cTypedefName(pointee);
  if (c == "pthread_mutex_t" || c == "pthread_rwlock_t" || c == "pthread_spinlock_t" ||
      c == "mtx_t")
    return true;
  const CXXRecordDecl* rd = pointee->getAsCXXRecordDecl();
  return rd && hasLockAndUnlock(rd);
}

} // namespace

namespace {

// Built from another lockable object it keeps a pointer or reference to (boost::unique_lock, a
// hand-written unique_lock).
bool keepsLockableGiven(const CXXRecordDecl* record) {
  bool keepsPointer = false;
  for (const FieldDecl* f : record->fields())
    keepsPointer |= f->getType()->isPointerType() || f->getType()->isReferenceType();
  if (!keepsPointer)
    return false;
  for (const CXXConstructorDecl* ctor : record->ctors()) {
    if (ctor->isCopyOrMoveConstructor())
      continue;
    for (const ParmVarDecl* p : ctor->parameters())
      if (isLockableParam(p->getType()))
        return true;
  }
  return false;
}

// Code that takes a lock: a mutex's lock or try-lock, std::lock, a guard built to own its mutex,
// or a method of `self` that does (followed `depth` calls deep).
bool takesLocks(const Stmt* s, const CXXRecordDecl* self, int depth) {
  if (!s)
    return false;
  if (const auto* call = dyn_cast<CallExpr>(s)) {
    if (std::optional<PrimitiveCall> prim = classifyPrimitive(call))
      if (prim->op == PrimitiveOp::Lock || prim->op == PrimitiveOp::LockShared ||
          prim->op == PrimitiveOp::TryLock || prim->op == PrimitiveOp::TryLockShared)
        return true;
    if (classifyMultiLock(call) != MultiLock::None)
      return true;
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call))
      if (const CXXMethodDecl* md = mc->getMethodDecl()) {
        if (md->getIdentifier() && (md->getName() == "lock" || md->getName() == "try_lock") &&
            md->getParent() != self && hasLockAndUnlock(md->getParent()))
          return true;
        if (depth > 0 && md->getParent() == self && md->hasBody() &&
            takesLocks(md->getBody(), self, depth - 1))
          return true;
      }
  }
  if (const auto* ce = dyn_cast<CXXConstructExpr>(s)) {
    const CXXRecordDecl* rd = ce->getType()->getAsCXXRecordDecl();
    bool guard = guardKind(ce->getType()) != GuardKind::None ||
                 (rd && rd->hasDefinition() && hasLockAndUnlock(rd) &&
                  keepsLockableGiven(rd->getDefinition()));
    if (guard && ce->getNumArgs() > 0 && !ce->getConstructor()->isCopyOrMoveConstructor()) {
      bool deferred = false;
      for (const Expr* a : ce->arguments())
        deferred |= guardTag(a->getType()) == GuardTag::Defer;
      if (!deferred)
        return true;
    }
  }
  for (const Stmt* c : s->children())
    if (takesLocks(c, self, depth))
      return true;
  return false;
}

} // namespace

// A class with lock()/unlock() that locks in its constructor is a guard (or a set of them, such
// as boost's all_futures_lock), and its lock()/unlock() are judged by their bodies, not as a
// mutex of their own: one built from a lockable object it keeps a pointer or reference to, or
// one whose constructor takes locks.
bool isGuardWithLockMembers(const CXXRecordDecl* record) {
  if (!hasLockAndUnlock(record))
    return false;
  record = record->getDefinition();
  if (keepsLockableGiven(record))
    return true;
  for (const CXXConstructorDecl* ctor : record->ctors()) {
    if (ctor->isCopyOrMoveConstructor())
      continue;
    const FunctionDecl* def = nullptr;
    if (!ctor->hasBody(def))
      continue;
    if (takesLocks(def->getBody(), record, 2))
      return true;
    if (const auto* cd = dyn_cast<CXXConstructorDecl>(def))
      for (const CXXCtorInitializer* init : cd->inits())
        if (init->isWritten() && takesLocks(init->getInit(), record, 2))
          return true;
  }
  return false;
}

bool isUserLockable(const CXXRecordDecl* record) {
  if (!record || !record->hasDefinition())
    return false;
  std::string q = qualifiedName(record->getDefinition());
  if (llvm::StringRef(q).starts_with("std::"))
    return false;
  return hasLockAndUnlock(record) && !isGuardWithLockMembers(record);
}

model::Recursion typeRecursion(QualType type) {
  std::string name = recordName(type);
  if (name == "std::recursive_mutex" || name == "std::recursive_timed_mutex")
    return model::Recursion::Yes;
  if (!name.empty() && !llvm::StringRef(name).starts_with("std::") &&
      llvm::StringRef(name).contains_insensitive("recursive"))
    return model::Recursion::Maybe;
  return model::Recursion::No;
}

std::string lockTypeName(QualType type) {
  std::string c = cTypedefName(type);
  if (!c.empty())
    return c;
  std::string name = recordName(type);
  if (!name.empty())
    return name;
  return type.getNonReferenceType().getUnqualifiedType().getAsString();
}

GuardTag guardTag(QualType argType) {
  std::string name = recordName(argType);
  if (name == "std::defer_lock_t")
    return GuardTag::Defer;
  if (name == "std::try_to_lock_t")
    return GuardTag::TryTo;
  if (name == "std::adopt_lock_t")
    return GuardTag::Adopt;
  if (name == "std::chrono::duration" || name == "std::chrono::time_point")
    return GuardTag::Timeout;
  return GuardTag::None;
}

std::optional<BlockingCall> classifyBlocking(const CallExpr* call) {
  const FunctionDecl* fd = calleeOf(call);
  if (!fd || !fd->getIdentifier())
    return std::nullopt;
  llvm::StringRef name = fd->getName();

  if (name.ends_with("_for")) {
    const Expr* duration = arg(call, isa<CXXMethodDecl>(fd) && name != "try_acquire_for" &&
                                              qualifiedName(cast<CXXMethodDecl>(fd)->getParent()) ==
                                                  "std::condition_variable"
                                          ? 1
                                          : 0);
    if (isZeroDuration(duration))
      return std::nullopt;
  }
  if (const auto* md = dyn_cast<CXXMethodDecl>(fd)) {
    std::string cls = qualifiedName(md->getParent());
    BlockingCall bc;
    bc.what = cls + "::" + name.str();
    if ((cls == "std::thread" || cls == "std::jthread") && name == "join")
      return bc;
    if (cls == "std::condition_variable" &&
        (name == "wait" || name == "wait_for" || name == "wait_until")) {
      bc.releasedGuard = arg(call, 0);
      return bc;
    }
    if (cls == "std::condition_variable_any" &&
        (name == "wait" || name == "wait_for" || name == "wait_until")) {
      const Expr* lockArg = arg(call, 0);
      if (lockArg && guardKind(lockArg->getType()) != GuardKind::None)
        bc.releasedGuard = lockArg;
      else
        bc.releasedObject = lockArg;
      return bc;
    }
    if ((cls == "std::future" || cls == "std::shared_future" || cls == "std::__basic_future") &&
        (name == "get" || name == "wait" || name == "wait_for" || name == "wait_until"))
      return bc;
    if (cls == "std::counting_semaphore" &&
        (name == "acquire" || name == "try_acquire_for" || name == "try_acquire_until"))
      return bc;
    if (cls == "std::latch" && (name == "wait" || name == "arrive_and_wait"))
      return bc;
    if (cls == "std::barrier" && (name == "wait" || name == "arrive_and_wait"))
      return bc;
    if ((cls == "std::atomic" || cls == "std::__atomic_base" || cls == "std::atomic_flag" ||
         cls == "std::__atomic_flag_base" || cls == "std::atomic_ref" ||
         cls == "std::__atomic_float" || cls == "std::__atomic_ref") &&
        name == "wait")
      return bc;
    return std::nullopt;
  }

  std::string q = qualifiedName(fd);
  BlockingCall bc;
  bc.what = q;
  if (q == "std::this_thread::sleep_for" || q == "std::this_thread::sleep_until") {
    bc.sleep = true;
    return bc;
  }
  if (q == "std::getline") {
    // Reading a file under a lock is common and fine; waiting for a person to type is not.
    const Expr* stream = arg(call, 0);
    if (stream)
      if (const auto* dre = dyn_cast<DeclRefExpr>(stream->IgnoreParenImpCasts()))
        if (dre->getDecl()->getName() == "cin")
          return bc;
    return std::nullopt;
  }
  if (!isGlobalCFunction(fd))
    return std::nullopt;
  // Reading a file under a lock is ordinary; reading standard input waits for a person.
  auto isStdin = [](const Expr* e) {
    if (!e)
      return false;
    if (const auto* dre = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts()))
      return dre->getDecl()->getName() == "stdin";
    return false;
  };
  if ((name == "fread" && isStdin(arg(call, 3))) || (name == "fscanf" && isStdin(arg(call, 0))))
    return bc;
  static const llvm::StringSet<> blocking = {
      "sleep",        "usleep",         "nanosleep",     "clock_nanosleep",
      "thrd_sleep",   "pthread_join",   "thrd_join",     "read",
      "readv",        "recv",           "recvfrom",      "recvmsg",
      "recvmmsg",     "accept",         "accept4",       "connect",
      "fgets",        "getc",           "fgetc",         "getchar",
      "getline",      "getdelim",       "scanf",         "gets",
      "poll",         "ppoll",          "select",        "pselect",
      "epoll_wait",   "epoll_pwait",    "waitpid",       "wait",
      "waitid",       "system",         "pause",         "sigwait",
      "sigsuspend",   "sigwaitinfo",    "msgrcv",        "mq_receive",
      "sem_wait",     "sem_timedwait",  "sem_clockwait", "pthread_barrier_wait",
      "getaddrinfo",  "gethostbyname",  "flock",         "lockf",
      "wait3",        "wait4",          "mq_timedreceive",
  };
  if (blocking.contains(name) && !zeroTimeout(call, name)) {
    bc.sleep = name == "sleep" || name == "usleep" || name == "nanosleep" ||
               name == "clock_nanosleep" || name == "thrd_sleep";
    return bc;
  }
  if (name == "pthread_cond_wait" || name == "pthread_cond_timedwait" ||
      name == "pthread_cond_clockwait" || name == "cnd_wait" || name == "cnd_timedwait") {
    bc.releasedPointer = arg(call, 1);
    return bc;
  }
  return std::nullopt;
}

bool isStdThread(QualType type, bool& jthread) {
  if (type->isPointerType())
    return false;
  std::string name = recordName(type.getNonReferenceType());
  jthread = name == "std::jthread";
  return name == "std::thread" || jthread;
}

bool isThreadHandle(QualType type) {
  std::string name = cTypedefName(type);
  return !type->isPointerType() && (name == "pthread_t" || name == "thrd_t");
}

bool isKnownThrowing(const CallExpr* call) {
  const FunctionDecl* fd = calleeOf(call);
  // Calling a std::function runs code that is not known here, as a function without a body
  // does: it is not taken as throwing (an empty one's bad_function_call is a programming error).
  if (!fd || !fd->getIdentifier())
    return false;
  llvm::StringRef name = fd->getName();
  if (const auto* md = dyn_cast<CXXMethodDecl>(fd)) {
    std::string cls = qualifiedName(md->getParent());
    if (!llvm::StringRef(cls).starts_with("std::"))
      return false;
    if (name == "at")
      return true; // vector, deque, array, basic_string, map, unordered_map: std::out_of_range
    if (name == "value" && cls == "std::optional")
      return true;
    if (name == "get" && (cls == "std::future" || cls == "std::shared_future"))
      return true; // rethrows the task's exception
    return false;
  }
  std::string q = qualifiedName(fd);
  static const llvm::StringSet<> throwing = {
      "std::stoi",  "std::stol",  "std::stoll",     "std::stoul", "std::stoull",
      "std::stof",  "std::stod",  "std::stold",     "std::any_cast",
  };
  if (throwing.contains(q))
    return !(q == "std::any_cast" && call->getNumArgs() == 1 &&
             call->getArg(0)->getType()->isPointerType()); // the pointer form returns null
  if (q == "std::get" && call->getNumArgs() == 1)
    return recordName(call->getArg(0)->getType()) == "std::variant";
  return false;
}

bool isNoReturnCall(const CallExpr* call) {
  if (const FunctionDecl* fd = calleeOf(call))
    return fd->isNoReturn();
  return false;
}

} // namespace threadcheck::checkers::api
