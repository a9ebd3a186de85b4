// In-process exploration (threadcheck::explore): the schedules run inside the calling process, one
// after another, with no fork. Each schedule runs the body on a fresh thread that is thread 0 of
// the schedule; the calling thread (the controller) stays outside the schedule and waits.
//
// A schedule that ends with a finding cannot unwind its threads (they are stopped inside program
// code, possibly holding program locks), so they are parked for good: each waits on a futex word
// nobody wakes, and the next schedule starts with fresh runtime state. Their memory is not
// reclaimed, which is why exploration stops at the first finding unless told otherwise.
#pragma once

#include "Record.h"

#include <cstdint>

namespace threadcheck::rt {

class InProcess {
public:
  enum class End : uint32_t {
    Running = 0,
    Returned, // the body returned (or threw, or leaked threads: see the record)
    Finding,  // a finding ended the schedule in one of its threads
    Fatal,    // a crash or exit(): the process dies once the controller has reported it
    Timeout,  // wall-clock limit: the running thread is stuck in a call the runtime cannot model
  };

  // Takes the runtime over for exploration from the calling thread, which joins the schedules'
  // CPU. With `captureFd` >= 0, stdout and stderr go there until finish(). Returns the record the
  // schedules write, or null and a reason (under `threadcheck run`; already exploring; called
  // from inside a schedule).
  static SharedRecord* begin(const char** why, int captureFd);
  static void finish();
  // Where the test's own stderr is while output is captured.
  static int realStderr();

  // Runs one schedule of fn(arg); the record's per-schedule fields must be prepared.
  static End run(void (*fn)(void*), void* arg, uint64_t timeoutMs);

  // Schedule side.
  [[noreturn]] static void endSchedule(); // a finding was recorded: the calling thread parks
  static void bodyReturned();             // on thread 0 when the body is done
  [[noreturn]] static void park(bool counted);
  // A finding the process does not survive (crash signal, exit): waits until the controller has
  // saved and reported it (at most a few seconds), then returns so the caller can die.
  static void fatal();
  // Controller side of fatal(): lets the dying thread go on and never returns.
  [[noreturn]] static void fatalReported();
};

} // namespace threadcheck::rt
