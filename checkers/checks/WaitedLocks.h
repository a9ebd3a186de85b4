// Which locks some code of the program waits for, for the checks that report a call blocking
// while locks are held (blocking-under-lock, sleep-under-lock): holding a lock that nobody ever
// waits for (every acquisition of it is a try-lock) stalls nobody.
#pragma once

#include "checks/Check.h"

#include <optional>
#include <set>
#include <string>

namespace threadcheck::checkers {

class WaitedLocks {
public:
  // Takes in an Acquired observation; ignores every other kind.
  void note(const Observation& obs);
  bool mayBeWaitedFor(const model::ObjRef& ref) const;

  // The finding for a BlockingUnderLock observation, naming only the held locks that may be
  // waited for, with the path to the first of them; none when no such lock is held.
  std::optional<Finding> finding(const Observation& obs, std::string_view checkId) const;

private:
  std::set<std::string> waited_;      // names of locks some code acquires with a waiting call
  std::set<std::string> waitedTypes_; // types of locks acquired through unknown pointers
};

} // namespace threadcheck::checkers
