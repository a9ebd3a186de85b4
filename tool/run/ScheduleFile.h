// Schedule files: versioned, self-describing JSON holding everything needed to replay one failing
// schedule (docs/runtime.md describes the format).
#pragma once

#include "Explorer.h"

#include <optional>
#include <string>
#include <vector>

namespace threadcheck::run {

inline constexpr const char* kScheduleFormat = "threadcheck-schedule";
inline constexpr int kScheduleVersion = 1;

// What the program of a schedule was, so that a replay never runs another executable than the
// one recorded (a schedule file may come from elsewhere: a CI artifact, a bug report).
struct ProgramIdentity {
  std::string path; // resolved (realpath) executable
  uint64_t size = 0;
  std::string buildId;     // hex NT_GNU_BUILD_ID; empty when the executable has none
  std::string contentHash; // "fnv1a64:<hex>" of the whole file when there is no build id
  bool known() const { return !path.empty(); }
};

// Reads `path`; returns an identity with an empty path and a one-line reason on failure.
ProgramIdentity programIdentity(const std::string& path, std::string& error);

// What differs between a recorded identity and the current one ("" when they match).
std::string identityDifference(const ProgramIdentity& recorded, const ProgramIdentity& now);

struct Schedule {
  std::vector<std::string> argv; // program (absolute path) and arguments
  // Filled by writeSchedule from argv[0]; unknown for files written before it existed.
  ProgramIdentity identity;
  std::string strategy;
  uint64_t seed = 0; // the run's base seed
  uint64_t scheduleIndex = 0;
  uint64_t scheduleSeed = 0;
  uint64_t maxSteps = 0;
  uint64_t livelockSteps = 0; // 0: none (files written before it existed had no window)
  uint64_t timeSliceUs = 0;   // 0: no time slices
  std::vector<uint32_t> decisions;
  uint64_t steps = 0;
  std::string traceHash;
  std::string kind;
  std::string message;
  // Instrumented programs (empty: not instrumented): which plain accesses were scheduling points.
  std::string accessPoints;
  std::vector<uint64_t> racyPcs;
  // The same set from threadcheck::explore, whose process is replayed with other load addresses:
  // each location as module and offset.
  struct Site {
    std::string module;
    uint64_t offset = 0;
  };
  std::vector<Site> racySites;
  // Schedules found by threadcheck::explore (in-process): the test that explored its body, which
  // a replay checks. Empty for `threadcheck run`.
  std::string test;
};

// Writes atomically (temporary file + rename). Returns an error message, empty on success.
std::string writeSchedule(const std::string& path, const Schedule& s, const Finding& f);

// Returns nullopt and a one-line reason when the file is missing, corrupt, truncated or of
// another format or version.
std::optional<Schedule> readSchedule(const std::string& path, std::string& error);
// The same for the text of a schedule file; `path` names it in the error.
std::optional<Schedule> parseSchedule(const std::string& text, const std::string& path,
                                      std::string& error);

// Writes `content` to `path` atomically; returns an error message, empty on success.
std::string writeFileAtomically(const std::string& path, const std::string& content);
// Whether writeFileAtomically(path, ...) can succeed, checked before a run starts: "" or a
// one-line error naming the path (its directory missing, a directory, not writable).
std::string checkWritable(const std::string& path);

} // namespace threadcheck::run
