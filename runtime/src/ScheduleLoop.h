// What every explorer of schedules shares, whether the schedules run in forked children (the fork
// server) or inside the process (threadcheck::explore): which schedule comes next, and where a
// code address lies for the symboliser.
#pragma once

#include "Record.h"

#include <cstdint>
#include <vector>

namespace threadcheck::rt {

// After a soft finding (lock-order inversion, data race: seen in a schedule that did not fail)
// keep looking this many schedules for one that really fails, which is the better report.
inline constexpr uint64_t kSoftGrace = 200;

// Clears what a schedule writes and seeds schedule `index` of a run with base seed `seed`; pct
// needs the length of the longest schedule so far.
void prepareSchedule(SharedRecord* rec, uint64_t seed, uint64_t index, uint64_t longest);

// Depth-first search: the next prefix is the deepest decision with an untried alternative that
// stays within the preemption bound. Returns false when the search space is exhausted.
bool nextDfsPrefix(SharedRecord* rec);

// Race-directed scheduling (instrumented programs, access points "racy"): the first schedules,
// the race-detection pass, collect the code locations of races, and the schedules after them
// preempt at those locations.
class RacePass {
public:
  RacePass(bool on, uint64_t maxSchedules, StrategyKind strategy)
      : left_(on ? maxSchedules : 0), on_(on), dfs_(strategy == StrategyKind::Dfs) {}
  // Sets the schedule's access points and racy set (when on); true when it belongs to the pass.
  bool prepare(SharedRecord* rec) const;
  // After a schedule of the pass: keeps the race locations it found, and ends the pass when it is
  // done (dfs then starts its tree afresh).
  void after(SharedRecord* rec);

private:
  uint64_t left_;
  uint64_t quiet_ = 0;
  bool on_;
  bool dfs_;
  std::vector<uint64_t> racy_;
};

// The module that maps `pc` and the offset in it; the main executable is named by its path.
// False when no module maps it.
bool moduleOf(uintptr_t pc, const char** module, uintptr_t* offset);
// The load bias of the module moduleOf() names `module`; false when no such module is loaded.
bool moduleBase(const char* module, uintptr_t* bias);

} // namespace threadcheck::rt
