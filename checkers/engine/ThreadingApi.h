// What the engine knows of the threading APIs of C, POSIX and the C++ standard library: which
// calls lock, unlock, try-lock, destroy or initialise a mutex, which types are RAII guards, and
// which calls can block. Everything here looks at declarations only; nothing here tracks state.
#pragma once

#include "engine/Model.h"

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

#include <optional>
#include <string>

namespace threadcheck::checkers::api {

enum class PrimitiveOp : uint8_t {
  Lock,
  LockShared,
  TryLock,       // also timed locks: they may fail
  TryLockShared, // also timed shared locks
  Unlock,
  UnlockShared,
  Destroy,
  Init,
};

struct PrimitiveCall {
  PrimitiveOp op;
  const clang::Expr* object = nullptr; // the mutex, as a glvalue (member calls)...
  const clang::Expr* pointer = nullptr; // ...or as a pointer to it (C and POSIX calls)
  int64_t successValue = 0;             // TryLock: the result value meaning "acquired"
  model::Recursion initRecursion = model::Recursion::No; // Init: as far as visible
  const clang::Expr* initAttr = nullptr; // Init: pthread attribute or C11 type argument
  bool isC11Init = false;
};

// A call on a mutex of the standard library, POSIX or C11.
std::optional<PrimitiveCall> classifyPrimitive(const clang::CallExpr* call);

// std::lock(a, b, ...) and std::try_lock(a, b, ...): the arguments are the mutexes.
enum class MultiLock : uint8_t { None, Lock, TryLock };
MultiLock classifyMultiLock(const clang::CallExpr* call);

enum class GuardKind : uint8_t { None, LockGuard, ScopedLock, UniqueLock, SharedLock };
GuardKind guardKind(clang::QualType type);
const char* guardName(GuardKind kind);

// A user-defined BasicLockable: a class with lock() and unlock() members that is not a guard.
bool isUserLockable(const clang::CXXRecordDecl* record);
bool isGuardWithLockMembers(const clang::CXXRecordDecl* record);

// The mutex type's own recursion: std::recursive_mutex is recursive whatever happens; a
// pthread_mutex_t or mtx_t depends on how it was initialised (LockInitFact).
model::Recursion typeRecursion(clang::QualType type);
std::string lockTypeName(clang::QualType type);

// Tag types of guard constructors.
enum class GuardTag : uint8_t { None, Defer, TryTo, Adopt, Timeout };
GuardTag guardTag(clang::QualType argType);

struct BlockingCall {
  std::string what;
  // The wait releases this mutex while it blocks: a guard (std::condition_variable::wait) or a
  // mutex pointer (pthread_cond_wait).
  const clang::Expr* releasedGuard = nullptr;
  const clang::Expr* releasedPointer = nullptr;
  const clang::Expr* releasedObject = nullptr; // condition_variable_any over a plain mutex
  // A timed sleep: it waits for no other party, for as long as its argument says.
  bool sleep = false;
};
std::optional<BlockingCall> classifyBlocking(const clang::CallExpr* call);

// std::thread (jthread = false) or std::jthread (jthread = true).
bool isStdThread(clang::QualType type, bool& jthread);
// pthread_t or thrd_t.
bool isThreadHandle(clang::QualType type);
// Library functions that throw in normal use (std::stoi, vector::at, optional::value, ...).
bool isKnownThrowing(const clang::CallExpr* call);

// Calls that never return normally; the path through them is not a path out of the function.
bool isNoReturnCall(const clang::CallExpr* call);

std::string qualifiedName(const clang::NamedDecl* decl);

// The qualified name without the template arguments of the classes it is a member of, and for
// an instantiated function the name of its template: "Cache::put" for Cache<int>::put,
// "std::map::at" for std::map<int, int>::at. The instantiations of one template are one piece of
// source code, and findings in them are named by it, so that they are reported once.
std::string genericName(const clang::NamedDecl* decl);
// Whether `fn` is code instantiated from a template (a function template specialization, a member
// of a class template specialization, or a lambda in one of them).
bool isInstantiatedCode(const clang::FunctionDecl* fn);
// How findings name the function they are in: genericName for instantiated code, else the
// qualified name.
std::string findingFunctionName(const clang::FunctionDecl* fn);

} // namespace threadcheck::checkers::api
