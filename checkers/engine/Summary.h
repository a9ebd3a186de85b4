// A function's effect on locks as its callers see it, in terms of its parameters (P<i>), its
// object (T) and globals: what it leaves locked, what it releases, what it locks inside, whether
// it can block or throw. Computed bottom-up over the call graph of every translation unit.
#pragma once

#include "engine/Model.h"
#include "engine/Observation.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace threadcheck::checkers {

struct Effect {
  model::ObjRef lock;            // in the callee's terms
  model::Loc loc;                // where inside the callee
  std::vector<PathNote> chain;   // how: nested calls down to the operation
  model::LockMode mode = model::LockMode::Exclusive;
  bool isTry = false; // a try-lock: it cannot block, so it orders nothing
  // acquires: the function returns the lock call's result (0: locked), as pthread_mutex_lock does.
  bool resultTells = false;
  // releases: on some paths only (a destructor that unlocks only while it still holds the mutex,
  // `if (mu_) mu_->Unlock();`): a caller that no longer holds the lock is not unlocking it again.
  // acquires: on some exits only, the others leave the lock alone (`if (!owns) m->lock();`): a
  // caller that already holds the lock is not locking it again.
  bool someExits = false;
};

struct Summary {
  bool mayThrow = false;
  std::vector<Effect> acquires;      // held at every normal exit: a lock wrapper
  struct TryAcquire {
    Effect effect;
    int64_t value = 0;               // held exactly when the function returns this value
    std::optional<int64_t> failValue; // what every other exit returns, when it is one value
    // Held exactly when the function returns anything but failValue (0): an object or handle
    // returned on success, null on failure (memcached's assoc_get_iterator).
    bool heldUnlessFail = false;
  };
  std::vector<TryAcquire> tryAcquires;
  std::vector<Effect> releases;      // released although this function did not take them
  std::vector<Effect> locksInside;   // acquired while the caller may already hold them
  std::vector<Effect> returnedGuard; // owned by the guard the function returns
  std::optional<Effect> blocks;      // a call that can block, first one found
  bool blocksBySleep = false;        // that call is a timed sleep (any other wait wins over one)
  std::vector<std::string> blocksExcept; // keys the blocking wait releases
  // Guards received from the caller (P<i>) whose mutex the blocking wait releases: the caller
  // knows which mutex that is, this function does not.
  std::vector<std::string> blocksExceptGuards;
  std::vector<std::pair<std::string, model::ObjRef>> binds; // "T.mu_*" designates a parameter's object
  // An exception that leaves the function: an explicit throw not caught by a catch (...), or a
  // library call that throws in normal use, or a callee that does.
  std::optional<Effect> throws;
  bool runsForever = false;
  std::optional<Effect> leaks; // a lock still held at some return: a lock-not-released there // no path reaches a return (and none ends in exit/abort)
  // A guard passed by reference (P<i>) that the function leaves owning (true) or not (false).
  std::vector<std::pair<std::string, bool>> guardOwns;

  bool operator==(const Summary& o) const;
};

using SummaryTable = std::unordered_map<std::string, Summary>;
using InitFacts = std::unordered_map<std::string, model::Recursion>;

} // namespace threadcheck::checkers
