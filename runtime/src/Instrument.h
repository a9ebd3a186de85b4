// State shared by the __tsan_* entry points: whether this process is an instrumented program under
// `threadcheck run`, and which plain accesses are scheduling points in this schedule.
#pragma once

#include "RaceDetector.h"
#include "Record.h"
#include "Scheduler.h"

#include <cstdint>

namespace threadcheck::rt {

namespace detail {
extern bool g_instrumented; // under threadcheck, with instrumentation in use (set at load)
// Whether a schedule runs (accesses are checked) and whether plain accesses may be scheduling
// points in it: one byte, read by every access. Hidden: no GOT load on the access path.
enum class Tracking : uint8_t { Off, On, OnWithPoints };
extern Tracking g_tracking __attribute__((visibility("hidden")));
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
    if (detail::g_tracking == detail::Tracking::Off)
      return false;
    const Thread* t = detail::t_race.sched;
    return (t ? *t : Scheduler::thread(Scheduler::self())).block != Block::Finished;
  }
  // Plain accesses from code at `pc` are scheduling points in this schedule.
  static bool isPoint(uintptr_t pc) {
    return detail::g_tracking == detail::Tracking::OnWithPoints && inRacySet(pc);
  }

private:
  static bool inRacySet(uintptr_t pc);
};

} // namespace threadcheck::rt
