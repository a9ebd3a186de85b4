// What the condition-variable, semaphore, latch and barrier checks need to recognise in the AST:
// waits on condition variables (std, POSIX, C11), semaphore, latch and barrier operations, the
// objects they act on, and which expressions read state other threads can change.
#pragma once

#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <cstdint>
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Stmt;
} // namespace clang

namespace threadcheck::checkers::sync {

enum class CvApi : uint8_t { Std, StdAny, Pthread, C11 };

struct CvWait {
  CvApi api;
  std::string spelling;              // "cv.wait", "pthread_cond_wait": how the message names it
  const clang::Expr* cv = nullptr;   // the condition variable (std: the object; C: a pointer to it)
  const clang::Expr* lock = nullptr; // std: guard or lockable; C: pointer to the mutex
  bool hasPredicate = false;
  bool timed = false;
};

// A wait on a condition variable; nullopt for every other call.
std::optional<CvWait> classifyCvWait(const clang::CallExpr* call);

enum class CountOp : uint8_t {
  SemRelease,     // std::counting_semaphore::release(n), sem_post: amount = n
  SemAcquire,     // acquire, try_acquire*, sem_wait, sem_trywait, sem_timedwait
  SemInit,        // sem_init(&s, pshared, value): amount = value (if constant)
  SemDestroy,     // sem_destroy
  LatchCountDown, // latch::count_down(n), latch::arrive_and_wait(n): amount = n
  BarrierArrive,  // barrier::arrive(n), arrive_and_wait, arrive_and_drop
};

struct CountCall {
  CountOp op;
  const clang::Expr* object = nullptr; // the primitive, as a glvalue (std) or pointer (sem_*)
  std::optional<int64_t> amount;       // nullopt when not a constant
};

std::optional<CountCall> classifyCountCall(const clang::CallExpr* call, clang::ASTContext& ctx);

// The declared maximum of a std::counting_semaphore<N> (1 for binary_semaphore), if `type` is one.
std::optional<int64_t> semaphoreMax(clang::QualType type);
bool isLatch(clang::QualType type);
bool isBarrier(clang::QualType type);
bool isSemT(clang::QualType type);

// `e` without parentheses, implicit casts, `&` and `*`: the object an argument designates.
const clang::Expr* designatedObject(const clang::Expr* e);

// The object an expression designates as a path from a variable: "q", "this->cv", "a.b.sem",
// "g_state.cv". Empty when it is anything else (a call result, a non-constant index). `base` is
// the variable the path starts from (nullptr for `this`).
struct ObjectPath {
  std::string text;
  const clang::ValueDecl* base = nullptr;
  const clang::ValueDecl* last = nullptr; // the variable or the last field
};
std::optional<ObjectPath> objectPath(const clang::Expr* e);

// The declaration identity used across translation units: "Queue::cv" for a member, the qualified
// name of a global or a static, "<file>:<line>:<col>:name" for a local. Empty for parameters and
// for anything that is not a declaration the program names.
std::string declarationKey(const clang::Expr* e, clang::ASTContext& ctx);

// The source text of an expression, as written.
std::string spelling(const clang::Expr* e, clang::ASTContext& ctx);

// A class called `name` in namespace std (inline namespaces such as __1 included).
bool isStdRecord(const clang::CXXRecordDecl* rd, llvm::StringRef name);

} // namespace threadcheck::checkers::sync
