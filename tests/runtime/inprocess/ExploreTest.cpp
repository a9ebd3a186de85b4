// threadcheck::explore on the logic of the bundled buggy programs (testdata/programs): each bug is
// found, replayed from its saved schedule with the same finding, and its fixed twin runs clean;
// plus bodies that throw, leave threads running or fail at once, and bad input.
#undef NDEBUG // the bodies check with assert()
#include "BuggyBodies.h"
#include "ExploreSupport.h"

#include <cassert>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <threadcheck/threadcheck.hpp>
#include <unistd.h>
#include <vector>

namespace {

using buggy::abba;
using buggy::lostWakeup;
using buggy::parseRecords;

void lastTicket(bool fixed) {
  assert(buggy::ticketsSold(fixed) <= 1 && "oversold the last ticket");
}

// detached_bug.cpp: a detached thread still flushing when the body returns.
std::mutex g_logLock;
void detachedFlusher(bool fixed) {
  auto flusher = [] {
    for (int i = 0; i < 3; ++i)
      std::lock_guard g(g_logLock);
  };
  if (fixed) {
    std::thread t(flusher);
    t.join();
  } else {
    std::thread(flusher).detach();
    std::this_thread::sleep_for(std::chrono::milliseconds(10)); // "long enough"
  }
}

TEST(Explore, AbbaDeadlockFoundReplayedFixedClean) {
  expectFoundAndReplayed(quiet("abba", 300), [] { abba(false); }, "deadlock");
  expectClean(quiet("abba-fixed", 300), [] { abba(true); });
}

TEST(Explore, DeadlockReportNamesThreadsAndStacks) {
  Result r = threadcheck::explore(quiet("abba-stacks", 300), [] { abba(false); });
  ASSERT_EQ(r.findings.size(), 1u);
  const threadcheck::Finding& f = r.findings[0];
  EXPECT_NE(f.message.find("deadlock: "), std::string::npos) << f.message;
  ASSERT_EQ(f.threads.size(), 2u) << f.report();
  for (const auto& t : f.threads) {
    bool here = false;
    for (const auto& fr : t.stack)
      here = here || fs::path(fr.file).filename() == "BuggyBodies.h";
    EXPECT_TRUE(here) << "no frame of BuggyBodies.h in the stack of thread " << t.id << "\n"
                      << f.report();
  }
  std::string text = f.report();
  EXPECT_NE(text.find("schedule saved to " + f.schedule_file), std::string::npos) << text;
  EXPECT_NE(text.find("replay it: THREADCHECK_REPLAY="), std::string::npos) << text;
}

TEST(Explore, LostWakeupFoundReplayedFixedClean) {
  expectFoundAndReplayed(quiet("lostwakeup", 200), [] { lostWakeup(false); }, "lost-wakeup");
  expectClean(quiet("lostwakeup-fixed", 200), [] { lostWakeup(true); });
}

TEST(Explore, AssertionFoundReplayedFixedClean) {
  expectFoundAndReplayed(quiet("counter", 200), [] { lastTicket(false); }, "assertion");
  expectClean(quiet("counter-fixed", 200), [] { lastTicket(true); });
}

TEST(Explore, LeakedThreadFoundReplayedFixedClean) {
  expectFoundAndReplayed(quiet("detached", 200), [] { detachedFlusher(false); }, "thread-leak");
  expectClean(quiet("detached-fixed", 200), [] { detachedFlusher(true); });
}

TEST(Explore, ExceptionInThreadFoundOnFirstScheduleFixedClean) {
  Result r = threadcheck::explore(quiet("exception", 50), [] { parseRecords(false); });
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].schedule_index, 0u);
  EXPECT_NE(r.findings[0].message.find("std::invalid_argument: negative record count"),
            std::string::npos)
      << r.findings[0].message;
  expectFoundAndReplayed(quiet("exception", 50), [] { parseRecords(false); }, "uncaught-exception");
  expectClean(quiet("exception-fixed", 50), [] { parseRecords(true); });
}

TEST(Explore, BodyThatThrows) {
  auto body = [] {
    std::thread t([] {});
    t.join();
    throw std::runtime_error("the body gave up");
  };
  expectFoundAndReplayed(quiet("throws", 20), body, "uncaught-exception");
  Result r = threadcheck::explore(quiet("throws", 20), body);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].message.find("std::runtime_error: the body gave up"), std::string::npos)
      << r.findings[0].message;
}

TEST(Explore, BodyThatFailsOnTheFirstScheduleWithItsOutput) {
  auto body = [] {
    std::puts("about to fail");
    assert(1 + 1 == 3);
  };
  expectFoundAndReplayed(quiet("first", 100), body, "assertion");
  Result r = threadcheck::explore(quiet("first", 100), body);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].schedule_index, 0u);
  EXPECT_EQ(r.schedules, 1u);
  EXPECT_NE(r.findings[0].output.find("about to fail"), std::string::npos) << r.report();
}

TEST(Explore, EveryStrategyFindsTheDeadlock) {
  for (Strategy s : {Strategy::Pct, Strategy::Pos, Strategy::Dfs}) {
    Options o = quiet("strategies", 300);
    o.strategy = s;
    Result r = threadcheck::explore(o, [] { abba(false); });
    ASSERT_EQ(r.findings.size(), 1u) << r.report();
    EXPECT_EQ(r.findings[0].kind, "deadlock");
    EXPECT_TRUE(r.findings[0].reproduced);
  }
}

TEST(Explore, DfsExhaustsTheFixedTwin) {
  Options o = quiet("dfs", 100000);
  o.strategy = Strategy::Dfs;
  Result r = threadcheck::explore(o, [] { abba(true); });
  EXPECT_TRUE(r.ok()) << r.report();
  EXPECT_TRUE(r.exhausted);
  EXPECT_LT(r.schedules, 100000u);
  EXPECT_GT(r.schedules, 2u);
}

TEST(Explore, KeepGoingReportsEveryFailingSchedule) {
  Options o = quiet("keepgoing", 6);
  o.keep_going = true;
  o.verify = false;
  Result r = threadcheck::explore(o, [] { parseRecords(false); });
  EXPECT_EQ(r.schedules, 6u);
  EXPECT_EQ(r.findings.size(), 6u);
}

TEST(Explore, SameSeedSameSchedules) {
  Options o = quiet("seeded", 300);
  o.seed = 12345;
  Result a = threadcheck::explore(o, [] { abba(false); });
  Result b = threadcheck::explore(o, [] { abba(false); });
  ASSERT_EQ(a.findings.size(), 1u);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].schedule_index, b.findings[0].schedule_index);
  EXPECT_EQ(a.findings[0].trace_hash, b.findings[0].trace_hash);
}

TEST(Explore, DefaultNameIsTheCallingFunction) {
  Options o;
  o.iterations = 300;
  o.output_dir = freshDir("default-name");
  o.print = false;
  Result r = threadcheck::explore(o, [] { abba(false); });
  ASSERT_EQ(r.findings.size(), 1u);
  std::string saved = slurp(r.findings[0].schedule_file);
  EXPECT_NE(saved.find("DefaultNameIsTheCallingFunction"), std::string::npos) << saved;
  o.replay = r.findings[0].schedule_file;
  Result replayed = threadcheck::explore(o, [] { abba(false); });
  ASSERT_EQ(replayed.findings.size(), 1u);
  EXPECT_TRUE(replayed.findings[0].reproduced);
}

TEST(Explore, ReplayOfAFixedBodyRunsClean) {
  Options o = quiet("fixed-replay", 300);
  Result r = threadcheck::explore(o, [] { abba(false); });
  ASSERT_EQ(r.findings.size(), 1u);
  o.replay = r.findings[0].schedule_file;
  // The fixed twin takes the locks in one order: the saved decisions may not fit it any more.
  Result replayed = threadcheck::explore(o, [] { abba(true); });
  EXPECT_TRUE(replayed.findings.empty()) << replayed.report();
}

TEST(Explore, TimeoutOfABlockingCallTheRuntimeDoesNotModel) {
  static int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  Options o = quiet("timeout", 5);
  o.schedule_timeout = 0.3;
  Result r = threadcheck::explore(o, [] {
    std::thread reader([] {
      char c;
      (void)!read(fds[0], &c, 1);
    });
    reader.join();
  });
  ASSERT_EQ(r.findings.size(), 1u) << r.report();
  EXPECT_EQ(r.findings[0].kind, "timeout");
  EXPECT_EQ(r.schedules, 1u);
  // The stuck thread comes back and parks; exploring goes on in this process.
  ASSERT_EQ(write(fds[1], "x", 1), 1);
  usleep(100000);
  expectClean(quiet("after-timeout", 50), [] { abba(true); });
}

// Bad input.

TEST(ExploreBadInput, OptionsOutOfRange) {
  struct Case {
    const char* field;
    std::function<void(Options&)> change;
  };
  const std::vector<Case> cases = {
      {"iterations", [](Options& x) { x.iterations = 0; }},
      {"pct_depth", [](Options& x) { x.pct_depth = 0; }},
      {"pct_depth", [](Options& x) { x.pct_depth = 18; }},
      {"preemption_bound", [](Options& x) { x.preemption_bound = 1001; }},
      {"max_steps", [](Options& x) { x.max_steps = 0; }},
      {"time_budget", [](Options& x) { x.time_budget = -1; }},
      {"time_budget", [](Options& x) { x.time_budget = NAN; }},
      {"schedule_timeout", [](Options& x) { x.schedule_timeout = -1; }},
      {"output_dir", [](Options& x) { x.output_dir = ""; }},
      {"strategy", [](Options& x) { x.strategy = static_cast<Strategy>(9); }},
  };
  for (const Case& c : cases) {
    Options o = quiet("bad", 10);
    c.change(o);
    try {
      threadcheck::explore(o, [] {});
      ADD_FAILURE() << "accepted a bad " << c.field;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(c.field), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(threadcheck::explore(quiet("bad", 10), std::function<void()>()),
               std::invalid_argument);
}

std::string savedAbba(const std::string& name) {
  Result r = threadcheck::explore(quiet(name, 300), [] { abba(false); });
  return r.findings.empty() ? std::string() : r.findings[0].schedule_file;
}

std::string replayError(const Options& o) {
  try {
    threadcheck::explore(o, [] { abba(false); });
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ExploreBadInput, ReplayFileOfAnotherTest) {
  std::string file = savedAbba("test-a");
  ASSERT_FALSE(file.empty());
  Options o = quiet("test-b", 10);
  o.replay = file;
  EXPECT_NE(replayError(o).find("was saved by test 'test-a', not by 'test-b'"), std::string::npos)
      << replayError(o);
  setenv("THREADCHECK_REPLAY", file.c_str(), 1);
  std::string byEnv = replayError(quiet("test-b", 10));
  unsetenv("THREADCHECK_REPLAY");
  EXPECT_NE(byEnv.find("not by 'test-b'"), std::string::npos) << byEnv;
}

TEST(ExploreBadInput, CorruptMissingAndForeignReplayFiles) {
  Options o = quiet("bad-files", 10);
  std::string dir = o.output_dir;
  fs::create_directories(dir);
  o.replay = dir + "/missing.json";
  EXPECT_NE(replayError(o).find("cannot read schedule file"), std::string::npos) << replayError(o);
  o.replay = dir + "/truncated.json";
  std::ofstream(o.replay) << "{\"format\": \"threadcheck-schedule\", \"vers";
  EXPECT_NE(replayError(o).find("not valid JSON"), std::string::npos) << replayError(o);
  o.replay = dir + "/other.json";
  std::ofstream(o.replay) << "{\"hello\": 1}";
  EXPECT_NE(replayError(o).find("is not a threadcheck schedule file"), std::string::npos)
      << replayError(o);
  // A schedule of `threadcheck run` has no test: it is replayed with `threadcheck replay`.
  o.replay = dir + "/run.json";
  std::ofstream(o.replay) << R"({"format": "threadcheck-schedule", "version": 1,
    "program": "/bin/true", "argv": ["/bin/true"], "strategy": "random", "seed": 1,
    "schedule_index": 0, "schedule_seed": 1, "max_steps": 100, "steps": 1,
    "trace_hash": "0000000000000000", "decisions": [], "finding": {"kind": "deadlock"}})";
  EXPECT_NE(replayError(o).find("threadcheck replay"), std::string::npos) << replayError(o);
}

TEST(ExploreBadInput, BodyThatIsNotRerunnable) {
  static int runs = 0;
  runs = 0;
  Result r = threadcheck::explore(quiet("not-rerunnable", 100), [] {
    // State kept between runs: every other run starts one thread more.
    int n = ++runs % 2 ? 2 : 1;
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i)
      threads.emplace_back([] {
        std::mutex m;
        std::lock_guard g(m);
      });
    for (auto& t : threads)
      t.join();
  });
  EXPECT_TRUE(r.findings.empty()) << r.report();
  EXPECT_NE(r.error.find("the body is not re-runnable"), std::string::npos) << r.report();
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.schedules, 2u);
}

TEST(ExploreBadInput, RuntimeLimitIsAnErrorNotAnExit) {
  // Thread ids are never reused within a schedule: the 257th thread is beyond the runtime.
  Result r = threadcheck::explore(quiet("limit", 3), [] {
    for (int i = 0; i < 300; ++i) {
      std::thread t([] {});
      t.join();
    }
  });
  EXPECT_TRUE(r.findings.empty()) << r.report();
  EXPECT_NE(r.error.find("more than 256 threads"), std::string::npos) << r.report();
}

// keep_going parks the threads of every failing schedule; once the process cannot start another
// thread the exploration ends with an error, not with schedules that "pass" without running.
TEST(ExploreBadInput, ParkedThreadsExhaustingTheProcessIsAnError) {
  Options o = quiet("exhausted", 100000);
  o.keep_going = true;
  o.verify = false;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Room for a few dozen more thread stacks, no more.
    rlimit as{};
    getrlimit(RLIMIT_AS, &as);
    std::ifstream statm("/proc/self/statm");
    unsigned long pages = 0;
    statm >> pages;
    as.rlim_cur = pages * sysconf(_SC_PAGESIZE) + (160ul << 20);
    setrlimit(RLIMIT_AS, &as);
    // The symboliser would run under the same limit; the stacks do not matter here.
    setenv("THREADCHECK_SYMBOLIZER", "/bin/false", 1);
    Result r = threadcheck::explore(o, [] { abba(false); });
    bool ok =
        r.error.find("cannot start the body's thread") != std::string::npos &&
        r.error.find("threads are parked by earlier failing schedules") != std::string::npos &&
        !r.findings.empty() && r.schedules < o.iterations;
    if (!ok)
      fprintf(stderr, "%s", r.report().c_str());
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST(ExploreBadInput, NestedExploreAndFailOutsideABody) {
  Result r = threadcheck::explore(quiet("nested", 5),
                                  [] { threadcheck::explore(quiet("inner", 5), [] {}); });
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].message.find("called from inside an explored body"), std::string::npos)
      << r.findings[0].message;
  EXPECT_THROW(threadcheck::fail("not exploring"), std::logic_error);
  EXPECT_FALSE(threadcheck::exploring());
}

TEST(Explore, FailEndsTheSchedule) {
  Result r = threadcheck::explore(quiet("fail", 50), [] {
    bool inside = threadcheck::exploring();
    std::thread t([] {});
    t.join();
    if (inside)
      threadcheck::fail("checked by hand");
  });
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, "assertion");
  EXPECT_NE(r.findings[0].message.find("checked by hand"), std::string::npos);
}

} // namespace
