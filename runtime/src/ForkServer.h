// The fork server: at the program's first thread creation the process stops being the program
// and forks one child per schedule; each child returns into the program with the scheduler on.
#pragma once

#include "Record.h"

namespace threadcheck::rt {

struct Config {
  int fd = -1;
  uint64_t seed = 0;
  uint64_t iterations = 1000;
  uint32_t job = 0;
  uint32_t jobs = 1;
  uint64_t deadlineNs = 0;
  uint32_t cpu = 0;
  uint64_t scheduleTimeoutMs = 10000;
  bool keepGoing = false;
  StrategyKind strategy = StrategyKind::Random;
  bool instrumented = false; // the program calls the __tsan_* entry points
  AccessPoints accessPoints = AccessPoints::None;
  uint64_t racePass = 0; // racy mode: schedules that only collect racy locations first
  uint32_t ignore = 0;   // bit k: findings of FindingKind k count as passing schedules
  bool serving = false;  // this process is the fork server: its forks are schedules
};

Config& config();

// Reads the configuration and turns the blocking model on, if that has not happened yet: a
// library's global constructor may start a thread before the runtime's own constructor ran
// (the dynamic loader initialises a program's libraries before a preloaded one).
void ensureInitialised();

// Called by the first pthread_create. Returns only in a child, which then runs one schedule.
void becomeForkServer();

// A finding before any thread exists (the process never forked): report it as schedule 0.
void reportUnforked();

} // namespace threadcheck::rt
