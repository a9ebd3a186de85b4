// The compact per-function model that the whole-program analysis runs on. It is built once per
// translation unit while the AST is alive and holds no pointer into it, so summaries and checks
// can run after every translation unit has been parsed (and, later, from cached facts).
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace threadcheck::checkers::model {

// Source positions are interned: a model holds thousands of them and most share a file.
struct Loc {
  uint32_t file = 0; // index into fileTable(); 0 is "no file"
  uint32_t line = 0;
  uint32_t col = 0;
  bool valid() const { return line != 0; }
  friend bool operator==(const Loc&, const Loc&) = default;
  friend auto operator<=>(const Loc&, const Loc&) = default;
};

uint32_t internFile(const std::string& path); // thread-safe
Location toLocation(const Loc& loc);

enum class Recursion : uint8_t { No, Yes, Maybe };
enum class LockMode : uint8_t { Exclusive, Shared };

// Names one lock object (or any object designated by a pointer or reference) in terms of the
// function it appears in. The key grammar is a root followed by ".field" and "[N]" steps:
//   G:<usr>  a global          S:<usr>  a static local      L<n>:<name>  a local of this function
//   P<i>     what parameter i points or refers to            T          *this
//   D:<key>  what a local pointer of unknown target designates
//   X:<text> anything else, named by its spelling (imprecise)
// P<i> and T are rewritten into the caller's terms when a summary is applied at a call.
struct ObjRef {
  std::string key;
  std::string display;  // as the user wrote it: "acct->mu"
  std::string declKey;  // the declaration that names the lock: "Account::mu", a global's name
  // The lock's place for lock ordering when it is a field of a field: "Env::mutex_.mu_" (the
  // mu_ of a port::Mutex that is Env's mutex_), so the mutexes inside two different wrapper members
  // are two locks. Empty: declKey.
  std::string orderKey;
  std::string typeName; // "std::mutex", "pthread_mutex_t", ...
  Recursion recursion = Recursion::No;
  bool precise = true; // false: identity by spelling only (non-constant index, call result)
  bool local = false;  // automatic storage of this function: starts unlocked, dies at scope end
  bool staticLocal = false;

  bool valid() const { return !key.empty(); }
};

// A value a branch or a return can test: a constant, a tracked "atom" (a variable, a pure
// expression, or the result "$s<N>" of a try-lock or call), or a comparison of an atom with a
// constant.
struct Value {
  enum class Kind : uint8_t { Unknown, Const, Atom, Test } kind = Kind::Unknown;
  int64_t constant = 0;
  std::string atom;
  bool testEquals = true; // Test: atom == constant (true) or atom != constant (false)
};

enum class GuardMode : uint8_t { Acquire, Defer, Adopt, Try };

enum class EventKind : uint8_t {
  Lock,         // locks[0..n) acquired (std::lock acquires several), and the guards in `guards`
  TryLock,      // locks and guards acquired iff atom "$s<sym>" == successValue
  Unlock,       // locks[0] released
  GuardInit,    // guard constructed over locks in guardMode (Try: sym/successValue)
  GuardLock,    // unique_lock::lock()
  GuardTryLock, // unique_lock::try_lock*(): sym/successValue
  GuardUnlock,  // unique_lock::unlock()
  GuardRelease, // unique_lock::release(): the mutex stays locked, the guard forgets it
  GuardMove,    // guard <- guard2 (construction or assignment from another guard)
  GuardEnd,     // guard destroyed (scope end, temporary end)
  Call,         // a call of another function: its summary applies here
  Throw,        // an explicit throw: the path leaves the function by exception
  Blocking,     // a call that can block, except for `locks` (the mutex a wait releases)
  Destroy,      // locks[0] destroyed (pthread_mutex_destroy, or a local mutex's scope ends)
  Init,         // locks[0] (re)initialised unlocked
  Assign,       // atom `var` written: facts about it are forgotten (or set from `value`)
  Bind,         // the pointer or reference `var` (a key ending in '*') now designates locks[0]
  Return,       // `value` returned; `guard` names a returned guard, if any
  // Thread objects (std::thread, std::jthread) and handles (pthread_t, thrd_t), named by `guard`.
  ThreadInit,   // started (entry `callee`), default-constructed, or moved from guard2
  ThreadJoin,   // join(), pthread_join, thrd_join (`self`: of the calling thread)
  ThreadDetach, // detach(), pthread_detach, thrd_detach
  ThreadMove,   // guard = std::move(guard2): a joinable target is std::terminate
  ThreadEnd,    // the object is destroyed / the handle's variable goes out of scope
  ThreadEscape, // handed to other code (a container, a callee, shared storage); `moved` after it
  // The pointer atom `var` was dereferenced (`p->field`): from here on the path knows it is not
  // null, since a null dereference is undefined behaviour.
  Dereference,
};

enum class ThreadMode : uint8_t { Started, Default, Move };

// Something of the creating function's stack that a new thread can reach.
struct Capture {
  std::string what; // "'x' captured by reference"
  Loc loc;
};

struct Event {
  EventKind kind;
  Loc loc;
  std::vector<ObjRef> locks;
  LockMode mode = LockMode::Exclusive;
  std::string guard;  // guard object key (a local's key, or "$t<N>" for a temporary)
  std::string guard2; // GuardMove source
  // Lock/TryLock: std::lock / std::try_lock over unique_locks locks each guard's mutex and leaves
  // the guard owning it, so the guard's destructor is what releases it.
  std::vector<std::string> guards;
  GuardMode guardMode = GuardMode::Acquire;
  int sym = -1;            // TryLock/GuardTryLock/GuardInit(Try)/Call: result atom "$s<sym>"
  int64_t successValue = 0;

  // Call
  std::string callee;     // function id (USR)
  std::string calleeName; // for messages
  std::vector<ObjRef> args; // per parameter: the object a pointer/reference argument designates
  // Per parameter: the value of an integer argument that is a constant (a mode flag, a sentinel
  // such as -42), so that the callee can be judged for it.
  std::vector<std::optional<int64_t>> argConsts;
  ObjRef thisArg;
  bool mayThrow = false; // by the callee's declared type; a known summary refines it
  std::string resultGuard; // the call initialises this guard (a returned unique_lock)
  // Functions whose address is an argument (uv_prepare_start(&h, prepare_cb), atexit(fn)): the
  // callee, or whatever it hands them to, may run them from now on.
  std::vector<std::string> callbacks;
  // A call of lock()/unlock()/try_lock() on a user type that has both: without a summary that
  // says what it does, it is taken as the primitive operation on thisArg.
  enum class LockableOp : uint8_t { None, Lock, Unlock, TryLock } lockableOp = LockableOp::None;

  // Throw and Call: inside a try block of this function, exceptions reach these handler blocks.
  bool inTry = false;
  std::vector<unsigned> handlers;

  // Blocking
  std::string what;            // "std::this_thread::sleep_for"
  std::string releasedGuard;   // a cv wait releases the mutex this guard owns
  bool sleep = false;          // a timed sleep, which waits for no other party

  // Assign / Return
  std::string var;
  Value value;

  // Threads
  ThreadMode threadMode = ThreadMode::Started;
  bool autoJoin = false;   // std::jthread joins in its destructor
  bool handle = false;     // a pthread_t / thrd_t handle rather than a std::thread object
  bool detached = false;   // ThreadInit: created detached (pthread attribute)
  bool self = false;       // ThreadJoin: joining the calling thread
  bool moved = false;      // ThreadEscape: the object is moved from
  std::vector<Capture> captures; // ThreadInit: locals the thread can reach
  bool knownThrowing = false;    // Call: a library function that throws in normal use
  bool catchAll = false;         // inTry and the try has a catch (...)
  bool catchStd = false;         // inTry and the try catches std::exception (all library errors)
  // Call of a user-defined constructor building a local object: the USR of its class's
  // destructor, which runs at the end of the object's scope and when an exception unwinds it.
  // A constructor that locks and a destructor that unlocks the same mutex make a scoped guard.
  std::string guardDtor;
  bool destructor = false; // Call: an automatic object's destructor at its scope end
};

struct Block {
  std::vector<Event> events;
  std::vector<int> succs; // -1 for an unreachable successor
  // A two-way branch: succs[0] when `cond` holds, succs[1] otherwise.
  std::optional<Value> cond;
  std::string condText; // for notes: "flag", "m.try_lock()"
  Loc condLoc;
  // A switch over `switchAtom`: per successor, the case value that leads there (none: default,
  // or the way out when no case matches).
  std::string switchAtom;
  std::vector<std::optional<int64_t>> caseValues;
  enum class Jump : uint8_t { None, Break, Continue, Goto } jump = Jump::None;
  Loc jumpLoc;
  bool noReturn = false;  // ends in a call that does not return (abort, exit)
  bool isHandler = false; // a catch block: entered only through exception edges
};

struct FunctionModel {
  std::string id;          // USR
  std::string name;        // qualified, for messages and fingerprints
  Loc loc;                 // the declaration
  Loc endLoc;              // the closing brace: where falling off the end leaves
  std::vector<Block> blocks;
  unsigned entry = 0;
  unsigned exit = 0;
  std::vector<std::string> paramNames;
  // Per parameter: the atom a scalar parameter is read as in conditions ("v:L0:mode"), or empty.
  std::vector<std::string> paramAtoms;
  bool isMain = false;
  bool returnsBool = false;
  bool returnsPointer = false;
  bool isConstructor = false;
  bool noexceptSpec = false;   // exceptions cannot leave it (noexcept, or C, or -fno-exceptions)
  bool exceptionsEnabled = true;
  // Variables each atom reads: writing one forgets what was known about the atom.
  std::map<std::string, std::vector<std::string>> atomVars;
};

// A mutex initialised as recursive (or maybe recursive) somewhere in the program: attribute types
// set in another function or file still make every use of that declaration recursive.
struct LockInitFact {
  std::string declKey;
  Recursion recursion = Recursion::No;
};

} // namespace threadcheck::checkers::model
