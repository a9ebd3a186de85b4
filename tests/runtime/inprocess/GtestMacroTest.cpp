// TC_TEST / TC_TEST_OPTS on the logic of the bundled buggy programs (testdata/programs). The Fixed
// suite must pass; the ExpectedFailure and ExpectedCrash suites must fail, and
// check_gtest_failures.py checks how (finding, stacks, saved schedule, replay command).
#include "BuggyBodies.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <semaphore.h>
#include <stdexcept>
#include <thread>
#include <threadcheck/gtest.hpp>
#include <unistd.h>
#include <vector>

namespace {

using buggy::abba;
using buggy::lostWakeup;
using buggy::ticketsSold;

std::mutex g_total;

} // namespace

TC_TEST_OPTS(Fixed, Abba, {.iterations = 300}) {
  abba(true);
}

TC_TEST_OPTS(Fixed, LostWakeupWithPct,
             {.iterations = 200, .strategy = threadcheck::Strategy::Pct}) {
  lostWakeup(true);
}

TC_TEST_OPTS(Fixed, TicketsWithDfs,
             {.iterations = 100000, .strategy = threadcheck::Strategy::Dfs}) {
  EXPECT_LE(ticketsSold(true), 1);
}

TC_TEST(Fixed, DefaultOptions) {
  EXPECT_EQ(ticketsSold(true), 1);
}

TC_TEST_OPTS(ExpectedFailure, Abba, {.iterations = 300}) {
  abba(false);
}

TC_TEST_OPTS(ExpectedFailure, LostWakeup, {.iterations = 200, .seed = 3}) {
  lostWakeup(false);
}

// A failed EXPECT_* is the schedule's failure.
TC_TEST_OPTS(ExpectedFailure, OversoldTicket, {.iterations = 200}) {
  EXPECT_LE(ticketsSold(false), 1) << "oversold the last ticket";
}

TC_TEST_OPTS(ExpectedFailure, LeakedThread, {.iterations = 200}) {
  std::thread([] {
    for (int i = 0; i < 3; ++i)
      std::lock_guard g(g_total);
  }).detach();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

TC_TEST_OPTS(ExpectedFailure, ThrowsInAThread, {.iterations = 50}) {
  buggy::parseRecords(false);
}

TC_TEST_OPTS(ExpectedFailure, Relock, {.iterations = 50}) {
  std::mutex m;
  int total = 0;
  auto addOne = [&] {
    std::lock_guard g(m);
    ++total;
  };
  std::thread t([&] {
    std::lock_guard g(m);
    addOne();
  });
  t.join();
}

TC_TEST_OPTS(ExpectedFailure, SemaphoreOverRelease, {.iterations = 50}) {
  sem_t pool;
  sem_init(&pool, 0, 2);
  auto worker = [&](int id) {
    sem_wait(&pool);
    if (id == 1)
      sem_post(&pool);        // the error path gives the connection back early...
    if (sem_post(&pool) != 0) // ...and the common cleanup again
      std::abort();
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  sem_destroy(&pool);
}

TC_TEST_OPTS(ExpectedFailure, NotRerunnable, {.iterations = 50}) {
  static int runs = 0;
  std::vector<std::thread> threads;
  for (int i = 0, n = ++runs % 2 ? 2 : 1; i < n; ++i)
    threads.emplace_back([] { std::lock_guard g(g_total); });
  for (auto& t : threads)
    t.join();
}

TC_TEST_OPTS(ExpectedFailure, BadOptions, {.iterations = 0}) {}

// order_bug.c: the worker reads the configuration before it is published. The process dies of
// the SIGSEGV after the schedule is saved and reported.
namespace {
struct Config {
  int verbosity;
};
Config* volatile g_cfg = nullptr;
} // namespace

TC_TEST_OPTS(ExpectedCrash, NullConfig, {.iterations = 200}) {
  g_cfg = nullptr;
  std::thread worker([] { std::printf("verbosity %d\n", g_cfg->verbosity); });
  static Config c{2};
  g_cfg = &c;
  worker.join();
}
