// The memory a schedule's child shares with its fork server. The child writes as it goes, so the
// server still knows the decisions, the running thread and the last events when the child crashes,
// is killed on timeout, or calls _exit behind the runtime's back.
#pragma once

#include "Finding.h"

#include <cstdint>
#include <cstring>

namespace threadcheck::rt {

inline constexpr uint32_t kMaxThreads = 256;
inline constexpr uint32_t kMaxDecisions = 1u << 18;
inline constexpr uint32_t kMaxFrames = 32;
inline constexpr uint32_t kMaxInvolved = 8;
inline constexpr uint32_t kEventRing = 32;
inline constexpr uint32_t kNameLen = 16;
inline constexpr uint32_t kMaxRacyPcs = 1024;

enum class StrategyKind : uint32_t { Random, Pct, Pos, Dfs, Replay };

// Which plain memory accesses of an instrumented program are scheduling points: none (atomics and
// library operations only), those whose code location is in the racy set, or every one.
enum class AccessPoints : uint32_t { None, Racy, All };

// The names `threadcheck run --access-points` and schedule files use; an unknown name is racy,
// the default (the tool has checked the name already).
inline const char* accessPointsName(AccessPoints a) {
  return a == AccessPoints::All ? "all" : a == AccessPoints::Racy ? "racy" : "none";
}
inline AccessPoints accessPointsNamed(const char* name) {
  return !strcmp(name, "all")    ? AccessPoints::All
         : !strcmp(name, "none") ? AccessPoints::None
                                 : AccessPoints::Racy;
}

// How a decision let its thread run: normally, by timing out its timed wait, or by a spurious
// wake-up of its condition-variable wait. Slice is no choice but a mark: the thread's time slice
// ran out here (before the decision that follows), so that a replay preempts it at the same step.
enum class Mode : uint32_t { Run = 0, Timeout = 1, Spurious = 2, Slice = 3 };

inline uint32_t packDecision(uint32_t tid, Mode m) {
  return tid | (static_cast<uint32_t>(m) << 16);
}
inline uint32_t decisionTid(uint32_t d) {
  return d & 0xffff;
}
inline Mode decisionMode(uint32_t d) {
  return static_cast<Mode>(d >> 16);
}

// What a lock operation came to, written after its step (the step is recorded before the thread
// learns whether the lock is free): a report tells a thread that waits from one that took it.
enum class EventResult : uint32_t {
  None,           // no result (not a lock, or a blocking lock taken at once)
  Acquired,       // a try-lock that took the lock
  Busy,           // a try-lock that failed: `other` holds the lock (-1: readers do)
  Waits,          // a blocking lock that found the lock held by `other` (-1: readers) and waits
  WaitedAcquired, // ... and took it later
  TimedOut,       // ... and gave up (a timed lock)
};

struct Event {
  uint64_t step;
  uint32_t tid;
  uint32_t op;
  uint32_t objId;
  uint32_t objKind;
  EventResult result; // not part of the trace hash
  int32_t other;
};

struct InvolvedThread {
  uint32_t tid;
  uint32_t nframes;
  char name[kNameLen];
  uintptr_t frames[kMaxFrames];
};

struct SharedRecord {
  // Written by the server before forking.
  StrategyKind strategy;
  uint64_t seed;
  uint32_t pctDepth;
  uint32_t preemptionBound;
  uint64_t maxSteps;      // steps before a schedule is a livelock, progress or not
  uint64_t livelockSteps; // steps without progress (only yields and spins) that are a livelock
  uint32_t timeSliceUs;   // CPU time a thread runs without a scheduling point before it is
                          // preempted; 0: never
  uint64_t expectedSteps; // pct: length of the longest schedule seen so far
  uint32_t replayCount;   // replay / dfs prefix length
  uint32_t replay[kMaxDecisions]; // replay: packed decisions; dfs: choice indices
  AccessPoints accessPoints;      // for this schedule
  uint32_t racyCount;             // the racy set: return addresses of access callbacks
  uint64_t racyPcs[kMaxRacyPcs];

  // Written by the child.
  volatile uint32_t current; // the thread that runs now: the faulting one if the child dies
  uint32_t nthreads;
  uint64_t steps;
  uint64_t traceHash;
  uint32_t ndecisions;
  uint32_t decisions[kMaxDecisions];
  uint8_t decisionOps[kMaxDecisions]; // the op the chosen thread was about to do
  uint16_t dfsChosen[kMaxDecisions];
  uint16_t dfsChoices[kMaxDecisions];    // number of alternatives at each decision (dfs)
  uint16_t dfsPreemptive[kMaxDecisions]; // bit i: alternative i is a preemption
  char names[kMaxThreads][kNameLen];
  uint64_t lastProgress; // the last step that was not a yield or a spin
  // Time slices: the thread preempted last, how many slices in a row it ran out without a step
  // of its own in between, and its stack at the last one (what a timeout report shows).
  uint32_t spinTid;
  uint32_t spinSlices;
  uint32_t spinNframes;
  uintptr_t spinFrames[kMaxFrames];
  uint32_t exitedCleanly;  // the exit handler ran with no finding
  uint32_t divergenceStep; // replay: decision index where the program went elsewhere
  char softMessage[1024];  // lock-order inversion seen in a schedule that otherwise passed
  uint32_t nsoftInvolved;
  int32_t softInvolved[2];
  // Where each thread of the inversion took its second lock while it held the first.
  InvolvedThread softStacks[2];
  // Each thread's entry function (the first frame of a thread that has not entered it yet), and
  // where it was created (what names a leaked thread that never ran, or ran and finished).
  uintptr_t entries[kMaxThreads];
  uint32_t ncreatedAt[kMaxThreads];
  uintptr_t createdAt[kMaxThreads][kMaxFrames];
  // exit() with a non-zero status: the exiting thread first, then every other live thread.
  uint32_t nexitInvolved;
  InvolvedThread exitInvolved[kMaxInvolved];
  // Timeouts: the server asks every live thread for its stack before it kills the child. The
  // child keeps each thread's kernel id (0: not started, or finished); the server gives each
  // thread a slot (plus one) and sends it the time-slice signal, whose handler fills the slot.
  int32_t osTids[kMaxThreads];
  uint8_t captureSlot[kMaxThreads];
  volatile uint32_t captureRequest;
  volatile uint32_t stuckDone[kMaxInvolved];
  uint32_t nstuck;
  InvolvedThread stuck[kMaxInvolved];
  // The first data race of the schedule (a soft finding: the schedule goes on), and every racing
  // code location the schedule saw, for race-directed scheduling.
  char raceMessage[2048];
  uint64_t raceAddr;
  InvolvedThread raceInvolved[2];
  char raceAccess[2][96];
  uint32_t newRacyCount;
  uint64_t newRacy[kMaxRacyPcs];
  FindingKind kind;
  char message[2048];
  uint32_t ninvolved;
  InvolvedThread involved[kMaxInvolved];
  uint64_t eventCount;
  Event events[kEventRing];
};

} // namespace threadcheck::rt
