// What cv-wait-no-predicate needs from each translation unit to judge a condition-variable wait
// at the callers of the function it is in, when that function only waits and leaves re-testing
// the condition to them (leveldb's port::CondVar::Wait, libuv's uv_cond_wait): its callers may be
// in other units. Plain data, like the rest of the facts.
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <optional>
#include <string>

namespace threadcheck::checkers {

// A function whose predicate-less wait is not re-tested inside it, on a condition variable it
// reaches through a parameter or its object, with a lock it did not take: the caller holds the
// lock and knows the condition.
struct WaitWrapperFact {
  std::string function; // USR
  std::string name;     // as findings name it
  Location wait;        // the wait inside it
  std::string waitText; // "pthread_cond_wait", "'cv_.wait'"
  bool timed = false;
};

// A call of a function that may reach a condition variable through its arguments or its object.
// If the callee is a wait wrapper (here or in another unit), the call is judged as a wait.
struct WaitCallFact {
  std::string callee;     // USR
  std::string calleeText; // as written: "cv_.Wait", "bqueue_wait"
  Location loc;
  std::string function; // as findings name the calling function
  // When the call is not re-tested either and the caller is a wrapper in turn (it got the
  // condition variable's holder from its own caller): the caller's USR, and its name.
  std::string deferTo;
  std::string deferName;
  std::string why;            // empty: the call is re-tested around; else why it is not
  bool guardedInLoop = false; // `why` is an `if` inside a loop that re-tests
  std::optional<Fix> fix;     // for an untimed wait
};

} // namespace threadcheck::checkers
