// Time slices: a thread that runs too long without reaching a scheduling point (a spin on a plain
// or relaxed load in uninstrumented code, a lock-free reader) is preempted, as rr does, so that it
// cannot stall the serialised schedule. Each thread has a CPU-time POSIX timer that delivers
// kSignal to it; the handler hands the turn over through the scheduler's futex hand-off.
#pragma once

#include "Record.h"

namespace threadcheck::rt::TimeSlice {

// The signal the timers deliver (SIGRTMAX - 2, 62 on Linux). A program that installs its own
// handler for it turns time slices off for the rest of the schedule; masks never block it.
inline constexpr int kSignal = 62;

// In the fork server, once (forked mode only): learns which code may be preempted and installs
// the handler, so that a schedule's child only starts timers. `rec->timeSliceUs` 0: nothing.
void prepare(const SharedRecord* rec);
// In each schedule's child: starts the calling (main) thread's timer.
void startSchedule();
void threadStarted();  // on a new thread of the schedule, before its first turn
void threadFinished(); // the calling thread stops its timer
bool on();             // time slices are in use in this schedule
// The handler is installed (also with --time-slice=0): the fork server can ask a schedule's
// threads for their stacks with the signal.
bool handlerInstalled();
void programSetHandler(); // the program installed its own action for kSignal

} // namespace threadcheck::rt::TimeSlice

struct sigaction;
namespace threadcheck::rt {
// glibc's sigaction, for the runtime's own handlers (the exported one is an interceptor).
int realSigaction(int sig, const struct sigaction* act, struct sigaction* old);

} // namespace threadcheck::rt
