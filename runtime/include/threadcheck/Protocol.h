// What `threadcheck run` and the runtime loaded into the program agree on: the environment
// variables that configure a run, and the line-oriented messages the fork server sends back.
//
// Messages (one per line, fields separated by single spaces; text fields are %-escaped so they
// never contain spaces or newlines):
//   loaded <pid>                                      the runtime is in the program (at load)
//   hello <pid>                                       fork server started
//   sched <index> <seed> <outcome> <steps> <trace-hash>   one schedule finished (outcome:
//   ok|<kind>) finding-begin ... finding-end                      details of a failing schedule,
//   see ForkServer done <schedules> <exhausted 0|1>                   explorer finished
#pragma once

namespace threadcheck::protocol {

inline constexpr const char* kEnvFd = "THREADCHECK_FD";             // write end of the pipe
inline constexpr const char* kEnvStrategy = "THREADCHECK_STRATEGY"; // random|pct|pos|dfs|replay
inline constexpr const char* kEnvSeed = "THREADCHECK_SEED";         // base seed (decimal)
inline constexpr const char* kEnvIterations = "THREADCHECK_ITERATIONS";
inline constexpr const char* kEnvJob = "THREADCHECK_JOB";                // this explorer's index
inline constexpr const char* kEnvJobs = "THREADCHECK_JOBS";              // number of explorers
inline constexpr const char* kEnvDeadlineNs = "THREADCHECK_DEADLINE_NS"; // CLOCK_MONOTONIC
inline constexpr const char* kEnvPctDepth = "THREADCHECK_PCT_DEPTH";
inline constexpr const char* kEnvPreemptionBound = "THREADCHECK_PREEMPTION_BOUND";
inline constexpr const char* kEnvMaxSteps = "THREADCHECK_MAX_STEPS";
inline constexpr const char* kEnvLivelockSteps = "THREADCHECK_LIVELOCK_STEPS";
inline constexpr const char* kEnvTimeSliceUs = "THREADCHECK_TIME_SLICE_US"; // 0: no time slices
// Finding kinds the fork server treats as passing schedules (comma-separated names).
inline constexpr const char* kEnvIgnore = "THREADCHECK_IGNORE";
inline constexpr const char* kEnvScheduleTimeoutMs = "THREADCHECK_SCHEDULE_TIMEOUT_MS";
inline constexpr const char* kEnvReplayFile = "THREADCHECK_REPLAY_FILE"; // decisions, one per line
inline constexpr const char* kEnvKeepGoing = "THREADCHECK_KEEP_GOING";
inline constexpr const char* kEnvCpu = "THREADCHECK_CPU";
// Instrumented programs only: none|racy|all, schedules of the race-detection pass before the racy
// set is fixed, and (replay) the racy set itself as comma-separated hexadecimal addresses.
inline constexpr const char* kEnvAccessPoints = "THREADCHECK_ACCESS_POINTS";
inline constexpr const char* kEnvRacePass = "THREADCHECK_RACE_PASS";
inline constexpr const char* kEnvRacyPcs = "THREADCHECK_RACY_PCS";

} // namespace threadcheck::protocol
