// State shared by the __tsan_* entry points: whether this process is an instrumented program under
// `threadcheck run`, and which plain accesses are scheduling points in this schedule.
#pragma once

#include "RaceDetector.h"
#include "Record.h"
#include "Scheduler.h"

#include <cstdint>

namespace threadcheck::rt {

namespace detail {
extern bool g_instrumented;        // under threadcheck, with instrumentation in use (set at load)
extern bool g_programInstrumented; // a module of the program called __tsan_init
// Whether a schedule runs (accesses are checked) and whether plain accesses may be scheduling
// points in it: one byte, read by every access. Hidden: no GOT load on the access path.
enum class Tracking : uint8_t { Off, On, OnWithPoints };
extern Tracking g_tracking __attribute__((visibility("hidden")));
// A filter over the code locations that are scheduling points (all bits set for
// --access-points=all): a clear bit lets the access path skip the exact lookup.
inline constexpr unsigned kPointFilterBits = 12;
extern uint64_t g_pointFilter[(1u << kPointFilterBits) / 64] __attribute__((visibility("hidden")));
inline uint32_t pointFilterBit(uintptr_t pc) {
  return static_cast<uint32_t>((pc * 0x9e3779b97f4a7c15ull) >> (64 - kPointFilterBits));
}
} // namespace detail

class Instrument {
public:
  // At load: `mode` comes from `threadcheck run`, which sets it only for instrumented programs.
  static void init(AccessPoints mode);
  // In-process exploration: on from begin to finish when the program has instrumented code.
  static void shutdown();
  static bool instrumented() { return detail::g_instrumented; }
  static bool programInstrumented() { return detail::g_programInstrumented; }
  // In the child; in-process, on the body's thread as the schedule starts.
  static void startSchedule(const SharedRecord* rec);
  static void endSchedule(); // in-process, by the controller once the schedule is over
  // The running thread's accesses count: a schedule runs, the thread is one of the schedule's
  // (in-process, the controller and the test's other threads are not) and it has not finished (a
  // finished thread may still run pthread key destructors, outside the schedule).
  static bool tracking() {
    if (detail::g_tracking == detail::Tracking::Off)
      return false;
    const Thread* t = detail::t_race.sched;
    return t && t->block != Block::Finished;
  }
  // Plain accesses from code at `pc` are scheduling points in this schedule.
  static bool isPoint(uintptr_t pc) { return mayBePoint(pc) && inRacySet(pc); }
  // False when plain accesses from `pc` are certainly not scheduling points (inline, no call).
  static bool mayBePoint(uintptr_t pc) {
    if (detail::g_tracking != detail::Tracking::OnWithPoints)
      return false;
    uint32_t bit = detail::pointFilterBit(pc);
    return (detail::g_pointFilter[bit / 64] >> (bit % 64)) & 1;
  }

private:
  static bool inRacySet(uintptr_t pc);
  static void forgetLoads(); // spin detection starts afresh (InstrumentAtomics.cpp)
};

} // namespace threadcheck::rt
