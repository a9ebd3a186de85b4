// The kinds of failing schedules (DESIGN.md section 4) as the runtime records them.
#pragma once

#include <cstdint>

namespace threadcheck::rt {

enum class FindingKind : uint32_t {
  None,
  Deadlock,
  LostWakeup,
  Crash,
  Assertion,
  ExitStatus,
  DataRace,
  LockMisuse,
  LockOrderInversion,
  UncaughtException,
  ThreadLeak,
  SemaphoreOverRelease,
  Livelock,
  Timeout,
  Divergence, // replay only: the program took another path than the saved schedule
  Limit,      // in-process only: a limit of the runtime itself (threads, objects), not a bug
};

inline const char* findingKindName(FindingKind k) {
  switch (k) {
  case FindingKind::None:
    return "ok";
  case FindingKind::Deadlock:
    return "deadlock";
  case FindingKind::LostWakeup:
    return "lost-wakeup";
  case FindingKind::Crash:
    return "crash";
  case FindingKind::Assertion:
    return "assertion";
  case FindingKind::ExitStatus:
    return "exit-status";
  case FindingKind::DataRace:
    return "data-race";
  case FindingKind::LockMisuse:
    return "lock-misuse";
  case FindingKind::LockOrderInversion:
    return "lock-order-inversion";
  case FindingKind::UncaughtException:
    return "uncaught-exception";
  case FindingKind::ThreadLeak:
    return "thread-leak";
  case FindingKind::SemaphoreOverRelease:
    return "semaphore-over-release";
  case FindingKind::Livelock:
    return "livelock";
  case FindingKind::Timeout:
    return "timeout";
  case FindingKind::Divergence:
    return "divergence";
  case FindingKind::Limit:
    return "runtime-limit";
  }
  return "unknown";
}

} // namespace threadcheck::rt
