// State shared by the __tsan_* entry points: whether this process is an instrumented program under
// `threadcheck run`, and which plain accesses are scheduling points in this schedule.
#pragma once

#include "Record.h"
#include "Scheduler.h"

#include <cstdint>

namespace threadcheck::rt {

namespace detail {
extern bool g_instrumented; // under threadcheck, with instrumentation in use (set at load)
extern bool g_tracking;     // a schedule runs: accesses are checked and may be points
} // namespace detail

class Instrument {
public:
  // At load: `mode` comes from `threadcheck run`, which sets it only for instrumented programs.
  static void init(AccessPoints mode);
  static bool instrumented() { return detail::g_instrumented; }
  static void startSchedule(const SharedRecord* rec); // in the child
  // The running thread's accesses count: a schedule runs and the thread has not finished (a
  // finished thread may still run pthread key destructors, outside the schedule).
  static bool tracking() {
    return detail::g_tracking && Scheduler::thread(Scheduler::self()).block != Block::Finished;
  }
  // Plain accesses from code at `pc` are scheduling points in this schedule.
  static bool isPoint(uintptr_t pc);
};

} // namespace threadcheck::rt
