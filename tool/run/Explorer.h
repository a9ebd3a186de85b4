// Runs the program under the runtime: one process per explorer job, each a fork server that
// reports its schedules over a pipe. Collects findings as the runtime describes them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace threadcheck::run {

struct Frame {
  std::string module;
  uint64_t offset = 0;
  std::string function; // filled in by the symboliser
  std::string file;
  unsigned line = 0;
};

struct ThreadReport {
  int id = 0;
  std::string name;
  std::string access; // data races: which access this thread made
  std::vector<Frame> stack;
  std::vector<Frame> created; // where the thread was created (not for the first thread)
};

struct EventReport {
  uint64_t step = 0;
  int tid = 0;
  std::string threadName;
  std::string op;
  std::string objKind;
  uint32_t objId = 0;
  std::string result; // a lock's outcome: "busy (held by thread 1 'a')", "waits (...)"; or empty
};

struct Finding {
  uint64_t index = 0; // schedule number within the run
  std::string kind;
  std::string message;
  uint64_t seed = 0; // the schedule's own seed
  uint64_t steps = 0;
  std::string traceHash;
  int exitCode = 0;
  int signal = 0;
  int64_t divergenceAt = -1;
  std::vector<uint32_t> decisions;
  std::vector<ThreadReport> threads;
  std::vector<EventReport> events;
  std::string output;   // the schedule's own output
  std::string prologue; // output of the program before it started its first thread
  std::string scheduleFile;
  // Instrumented programs: the scheduling points at plain accesses in this schedule.
  std::string accessPoints; // empty: not instrumented
  std::vector<uint64_t> racyPcs;
  // Data races on a global: its module and offset, and the variable the symboliser names there.
  std::string raceModule;
  uint64_t raceOffset = 0;
  std::string raceVariable;
};

struct ExploreOptions {
  std::string runtimeLibrary; // preloaded; empty for a program that contains the runtime

  std::vector<std::string> argv; // program and arguments
  std::string strategy = "random";
  uint64_t seed = 0;
  uint64_t iterations = 1000;
  unsigned jobs = 1;
  double timeBudget = 0; // seconds, 0: none
  bool keepGoing = false;
  unsigned pctDepth = 3;
  unsigned preemptionBound = 2;
  uint64_t maxSteps = 10000000;
  uint64_t livelockSteps = 100000; // steps in a row without progress that are a livelock
  uint64_t timeSliceUs = 1000;     // CPU time without a scheduling point before a preemption
  std::string ignore;              // finding kinds that count as passing (comma-separated)
  // --suppressions: true drops the finding and the search goes on. Called before onFinding;
  // the runtime then reports every failing schedule and the explorer picks what to keep.
  std::function<bool(const Finding&)> suppress;
  uint64_t scheduleTimeoutMs = 10000;
  std::string replayFile; // decisions file for strategy "replay"
  // Instrumented programs: none|racy|all (empty: not instrumented), the race-detection pass, and
  // for a replay the racy set of the saved schedule.
  std::string accessPoints;
  uint64_t racePass = 0;
  std::vector<uint64_t> racyPcs;
  // A program that starts no thread under control is an error ("nothing explored"), not a
  // single native run whose exit is the finding; a GoogleTest test without threads is still a
  // test that ran.
  bool threadlessIsError = false;
};

struct ExploreResult {
  uint64_t schedules = 0;
  bool exhausted = false;   // dfs explored everything within the bound
  bool interrupted = false; // Ctrl-C
  // --time-budget ran out while a schedule was still running: it was stopped, unfinished (not
  // counted, no finding).
  bool budgetStopped = false;
  std::vector<Finding> findings;
  uint64_t suppressed = 0; // findings dropped by --suppressions
  std::string error;       // tool failure; empty when the run worked
  double elapsed = 0;
};

// Called for every finding as soon as it arrives (to save it before anything is printed), and
// for progress after each schedule.
struct ExploreCallbacks {
  std::function<void(Finding&)> onFinding;
  std::function<void(uint64_t schedules, size_t findings, double elapsed)> onProgress;
};

ExploreResult explore(const ExploreOptions& opts, const ExploreCallbacks& cb);

// Set by the SIGINT handler: the exploration stops and reports what it has.
void requestStop();

} // namespace threadcheck::run
