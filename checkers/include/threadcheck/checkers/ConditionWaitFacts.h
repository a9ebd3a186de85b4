// One wait on a condition variable, with both the condition variable and the mutex named by
// declaration: what cv-mixed-mutexes needs from each translation unit to compare waits across the
// whole program. Plain data, like the rest of the facts.
#pragma once

#include "threadcheck/checkers/Finding.h"

#include <string>

namespace threadcheck::checkers {

struct ConditionWaitFact {
  std::string condition;     // declaration key: "Queue::cv", "g_cv", "local:<file>:<l>:<c>:cv"
  std::string conditionText; // as written at the wait: "q->cv"
  std::string mutex;         // declaration key of the mutex the wait releases
  std::string mutexText;     // as written: "q->lock", or the guard's mutex argument
  Location loc;
  std::string function; // qualified name of the function the wait is in
};

} // namespace threadcheck::checkers
