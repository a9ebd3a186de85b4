// What the lock-state analysis observes on a path, before any check decides whether and how to
// report it. Checks (checkers/checks/) turn observations into findings; the engine never words
// a diagnostic itself.
#pragma once

#include "engine/Model.h"

#include <string>
#include <vector>

namespace threadcheck::checkers {

struct PathNote {
  model::Loc loc;
  std::string message;
};

enum class ObservationKind : uint8_t {
  DoubleLock,        // a held lock acquired again
  UnlockNotHeld,     // a lock released that is not held
  HeldAtExit,        // a lock still held where the function returns
  HeldAtThrow,       // a manually taken lock held where an exception can leave the function
  DestroyedHeld,     // a lock destroyed while held
  BlockingUnderLock, // a blocking call while locks are held
  LockOrder,         // `lock` acquired (blocking) while `other` is held: an edge of the order graph
  ThreadNotJoined,   // a joinable thread object destroyed / overwritten, or a handle lost
  JoinNotJoinable,   // join or detach of a thread that is not joinable
  DetachedCapture,   // a detached thread that can reach the creating function's stack
  ThreadLaunch,      // a thread started with entry `what`; `detached` when detached on the path
  // `lock` acquired by a call that waits for it (not a try-lock), or handed to code without a
  // body that may: some thread can be waiting for it. Once per function and lock.
  Acquired,
  GaveUp, // the function's paths exceeded the analysis budget: nothing else is reported in it
};

enum class ThreadLoss : uint8_t { ScopeEnd, MoveAssign, Temporary, Exception, HandleReused };
enum class ThreadStateName : uint8_t { NotStarted, Joined, Detached, MovedFrom, NotCreated, Self };

enum class NotHeldReason : uint8_t {
  NeverLocked,       // a local mutex never locked on this path
  Released,          // released earlier (at `previous`)
  Initialised,       // (re)initialised at `previous`
  GuardNotOwning,    // unique_lock::unlock() on a guard that owns nothing
  AdoptedNotHeld,    // adopt_lock of a mutex that is not held
  TryFailed,         // the try-lock at `previous` may have failed
  LockFailed,        // the lock call at `previous` returned an error on this path
};

struct Observation {
  ObservationKind kind;
  const model::FunctionModel* function = nullptr;
  model::Loc loc;
  model::ObjRef lock;                 // the lock concerned
  model::ObjRef other;                // LockOrder: the lock already held
  model::Loc otherAt;                 // LockOrder: where `other` was acquired
  std::vector<model::ObjRef> held;    // BlockingUnderLock: every lock held,
  std::vector<model::Loc> heldAt;     //   where each was acquired,
  std::vector<std::vector<PathNote>> heldNotes; // and the path to that acquisition;
                                      //   `notes` is then the blocking call's own chain
  model::Loc previous;                // where it was acquired / released / initialised
  std::vector<PathNote> notes;        // the path, in order, ending at `loc`
  std::string what;                   // the blocking or throwing call, the callee
  bool viaCall = false;               // the effect happens inside `what`
  bool sleep = false;                 // BlockingUnderLock: the call is (or ends in) a timed sleep
  bool viaGuard = false;              // a guard's operation (GuardLock on an owning guard)
  bool explicitThrow = false;         // HeldAtThrow: a throw expression, not a call
  bool fellOffEnd = false;            // HeldAtExit: no return statement
  bool guardStillOwns = false;        // DestroyedHeld: a guard that outlives the mutex
  NotHeldReason reason = NotHeldReason::NeverLocked;
  model::Recursion recursion = model::Recursion::No;
  bool sharedAgain = false;           // DoubleLock: exclusive and shared modes mixed

  // Threads. `lock` names the thread object or handle.
  bool handle = false;                // a pthread_t / thrd_t rather than a std::thread
  ThreadLoss loss = ThreadLoss::ScopeEnd;
  ThreadStateName threadState = ThreadStateName::NotStarted;
  std::string entry;                  // ThreadLaunch, ThreadNotJoined: the entry function's USR
  bool detached = false;              // ThreadLaunch
  // Filled from the entry's summary once every function is analysed.
  enum class EntryProblem : uint8_t { None, Throws, HoldsLock, RunsForever };
  EntryProblem entryThrows = EntryProblem::None;
  EntryProblem entryResource = EntryProblem::None;
  std::vector<PathNote> entryNotes;
  std::string entryDetail;
};

} // namespace threadcheck::checkers
