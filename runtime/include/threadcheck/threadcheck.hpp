// threadcheck::explore: runs a test body many times inside this process, each time under another
// schedule of its threads chosen by the controlled scheduler, and reports the first schedule that
// fails (deadlock, lost wake-up, failed assertion, uncaught exception, leaked thread, ...) with
// the threads' stacks and a saved schedule file that replays it exactly.
//
//   threadcheck::Result r = threadcheck::explore({.iterations = 500, .seed = 7}, [] {
//     Queue q;
//     std::thread producer([&] { q.push(1); });
//     assert(q.pop() == 1);
//     producer.join();
//   });
//   if (!r.ok()) std::cerr << r.report();
//
// Link the executable with the CMake target threadcheck::runtime (the whole static runtime). The
// body must be re-runnable: every run starts from the same state (docs/inprocess.md).
#pragma once

#include <cstdint>
#include <functional>
#include <source_location>
#include <string>
#include <vector>

namespace threadcheck {

enum class Strategy { Random, Pct, Pos, Dfs };

// Which plain memory accesses of instrumented code (compiled with -fsanitize=thread, see
// docs/inprocess.md) are scheduling points: those where the race-detection pass, the first
// schedules, saw a race (Racy); every one (All); none (None: races are still detected).
enum class AccessPoints { Racy, All, None };

// Designated initialisers name what differs from the defaults: {.iterations = 200, .seed = 3}.
// Values out of range make explore() throw std::invalid_argument.
struct Options {
  uint64_t iterations = 1000; // schedules to explore, 1 .. 100000000
  Strategy strategy = Strategy::Random;
  uint64_t seed = 1;             // base seed: the same seed explores the same schedules
  unsigned pct_depth = 3;        // pct: bug depth, 1 .. 17
  unsigned preemption_bound = 2; // dfs: preemptions per schedule, 0 .. 1000
  uint64_t max_steps = 100000;   // scheduling points before a schedule is a livelock, 1 .. 2^32
  double time_budget = 0;        // seconds; stop exploring after this long (0: no limit)
  double schedule_timeout = 10;  // seconds of wall-clock time one schedule may take (0: none)
  std::string output_dir = "threadcheck-schedules"; // where failing schedules are saved
  bool keep_going = false; // report every failing schedule, not only the first
  // A schedule file to replay instead of exploring. When empty, the environment variable
  // THREADCHECK_REPLAY names one (for every explore() of the process: run one test with it).
  std::string replay;
  // The test's identity, recorded in schedule files so that a replay refuses another test's
  // file. Default: the function that called explore() and its file.
  std::string name;
  // The command that runs this test again, for the replay command printed with a finding.
  // Default: this process's own command line.
  std::vector<std::string> command;
  bool capture_output = true; // a schedule's stdout/stderr are kept and shown only if it fails
  // Replay each finding from its saved file, and schedule 1 once, to check that the body is
  // re-runnable (a body that keeps state between runs is an error, not a finding).
  bool verify = true;
  bool print = true; // print each finding to stderr as soon as it is saved
  // Instrumented bodies only (otherwise ignored).
  AccessPoints access_points = AccessPoints::Racy;
  uint64_t race_pass = 20; // schedules at most in the race-detection pass, 0 .. 100000
};

struct Frame {
  std::string function;
  std::string file;
  unsigned line = 0;
  std::string module;
  uint64_t offset = 0;
};

struct Thread {
  int id = 0; // 0 is the thread that runs the body (named 'main')
  std::string name;
  std::vector<Frame> stack; // innermost first; empty for a thread that had finished
  // Data races: this thread's access, e.g. "write of size 4 at 0x5610... by thread 1 'worker'"
  // (the earlier one starts with "previous").
  std::string access;
};

struct Finding {
  // DESIGN.md section 4: deadlock, lost-wakeup, crash, assertion, exit-status, lock-misuse,
  // lock-order-inversion, uncaught-exception, thread-leak, semaphore-over-release, livelock,
  // timeout, data-race.
  std::string kind;
  std::string message;
  uint64_t schedule_index = 0;
  uint64_t schedule_seed = 0;
  uint64_t steps = 0;
  std::string trace_hash;
  std::vector<Thread> threads;
  std::string output;         // what the failing schedule printed
  std::string schedule_file;  // absolute path of the saved schedule
  std::string replay_command; // e.g. THREADCHECK_REPLAY=/abs/file.json /abs/test --gtest_filter=S.N
  bool verified = false;      // the saved schedule was replayed once (Options::verify)
  bool reproduced = false;    // replaying the saved schedule gave the same finding and trace
  std::string report() const; // the finding as text: message, stacks, output, file, command
};

struct Result {
  uint64_t schedules = 0; // schedules run (verification replays not counted)
  bool exhausted = false; // dfs: every schedule within the preemption bound was explored
  bool replayed = false;  // a saved schedule was replayed instead of exploring
  double elapsed = 0;     // seconds
  std::vector<Finding> findings;
  // The exploration could not do its job: the body is not re-runnable, a replay diverged.
  std::string error;
  bool ok() const { return findings.empty() && error.empty(); }
  std::string report() const;
};

// Explores `body`. Throws std::invalid_argument for options out of range and for a replay file
// that is unreadable, corrupt, or saved by another test; std::logic_error when called from
// inside an explored body or while another thread explores. A crash (SIGSEGV, ...) or exit()
// inside the body ends the process after the schedule is saved and reported (docs/inprocess.md).
// Under `threadcheck run` the body runs once: the outer run explores it.
Result explore(const Options& options, std::function<void()> body,
               std::source_location where = std::source_location::current());

// Ends the current schedule with an assertion finding: for test frameworks whose failed checks do
// not abort. Outside an explored body it throws std::logic_error.
[[noreturn]] void fail(const std::string& message);

// True inside a body that explore() runs (in any of its threads).
bool exploring();

} // namespace threadcheck
