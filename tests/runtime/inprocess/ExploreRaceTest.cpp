// threadcheck::explore on instrumented code (this file is compiled with -fsanitize=thread and
// linked with threadcheck's runtime, not TSan's): data races are found, reported with both accesses
// and replayed; race-directed scheduling preempts at the racy accesses; the race-free twins (every
// kind of synchronisation) stay clean over many schedules, which also shows that each schedule
// starts with fresh detector state; and threads outside the body are not part of it.
#include "ExploreSupport.h"

#include <atomic>
#include <cstring>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <threadcheck/threadcheck.hpp>

namespace {

int g_counter;
std::mutex g_counterLock;

// racecounter.c: two threads increment a shared counter, unprotected unless `fixed`.
void racyCounter(bool fixed, bool check) {
  g_counter = 0;
  auto inc = [fixed] {
    if (fixed) {
      std::lock_guard g(g_counterLock);
      ++g_counter;
    } else {
      ++g_counter;
    }
  };
  std::thread a(inc);
  std::thread b(inc);
  a.join();
  b.join();
  if (check && g_counter != 2)
    threadcheck::fail("lost update: counter is " + std::to_string(g_counter));
}

struct Message {
  int id;
  int payload;
};
Message g_message;
std::atomic<bool> g_published;
volatile int g_sink;

// A message published through a flag: release/acquire orders the plain accesses; relaxed does not.
void publish(std::memory_order store, std::memory_order load) {
  g_message = {};
  g_published.store(false, std::memory_order_relaxed);
  std::thread producer([store] {
    g_message.id = 1;
    g_message.payload = 42;
    g_published.store(true, store);
  });
  std::thread consumer([load] {
    while (!g_published.load(load)) {
    }
    g_sink = g_message.id + g_message.payload;
  });
  producer.join();
  consumer.join();
}

// The same through fences around relaxed atomics.
void publishWithFences() {
  g_message = {};
  g_published.store(false, std::memory_order_relaxed);
  std::thread producer([] {
    g_message.payload = 7;
    std::atomic_thread_fence(std::memory_order_release);
    g_published.store(true, std::memory_order_relaxed);
  });
  std::thread consumer([] {
    while (!g_published.load(std::memory_order_relaxed)) {
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    g_sink = g_message.payload;
  });
  producer.join();
  consumer.join();
}

// Neighbouring fields of one struct written by two threads: no race (each byte is its own).
struct Flags {
  char left;
  char right;
  short count;
};
Flags g_flags;

void neighbouringFields() {
  g_flags = {};
  std::thread a([] { g_flags.left = 1; });
  std::thread b([] {
    g_flags.right = 1;
    g_flags.count = 2;
  });
  a.join();
  b.join();
}

// A heap block filled with memcpy by one thread while another reads it.
void heapMemcpy(bool fixed) {
  int* block = new int[4]();
  std::mutex m;
  std::thread writer([&] {
    int src[4] = {1, 2, 3, 4};
    std::unique_lock g(m, std::defer_lock);
    if (fixed)
      g.lock();
    memcpy(block, src, sizeof src);
  });
  std::thread reader([&] {
    std::unique_lock g(m, std::defer_lock);
    if (fixed)
      g.lock();
    g_sink = block[2];
  });
  writer.join();
  reader.join();
  delete[] block;
}

Options instrumented(const std::string& name, uint64_t iterations) {
  Options o = quiet(name, iterations);
  o.seed = 3;
  return o;
}

TEST(ExploreRaces, RacyCounterFoundWithBothAccessesAndReplayed) {
  threadcheck::Finding f = expectFoundAndReplayed(
      instrumented("race-counter", 200), [] { racyCounter(false, false); }, "data-race");
  EXPECT_NE(f.message.find("data race"), std::string::npos) << f.report();
  // The symboliser names the global.
  EXPECT_NE(f.message.find("g_counter"), std::string::npos) << f.report();
  ASSERT_EQ(f.threads.size(), 2u) << f.report();
  for (const auto& t : f.threads) {
    EXPECT_NE(t.access.find("of size 4 at 0x"), std::string::npos) << f.report();
    bool inBody = false;
    for (const auto& frame : t.stack)
      inBody = inBody || frame.function.find("racyCounter") != std::string::npos;
    EXPECT_TRUE(inBody) << f.report();
  }
  EXPECT_EQ(f.threads[1].access.rfind("previous ", 0), 0u) << f.report();
  EXPECT_NE(f.report().find("previous "), std::string::npos) << f.report();
  std::string saved = slurp(f.schedule_file);
  EXPECT_NE(saved.find("\"access_points\": \"racy\""), std::string::npos) << saved;
}

TEST(ExploreRaces, RaceDirectedSchedulingFindsTheLostUpdate) {
  // Preempting at the racy accesses (between the read and the write of ++) loses an update.
  threadcheck::Finding f = expectFoundAndReplayed(
      instrumented("race-lost-update", 300), [] { racyCounter(false, true); }, "assertion");
  EXPECT_NE(f.message.find("lost update"), std::string::npos) << f.report();
  std::string saved = slurp(f.schedule_file);
  EXPECT_NE(saved.find("\"racy_sites\""), std::string::npos) << saved;

  // Without scheduling points at plain accesses ++ never splits: the race is all there is.
  Options none = instrumented("race-lost-update-none", 300);
  none.access_points = threadcheck::AccessPoints::None;
  Result r = threadcheck::explore(none, [] { racyCounter(false, true); });
  ASSERT_EQ(r.findings.size(), 1u) << r.report();
  EXPECT_EQ(r.findings[0].kind, "data-race") << r.report();

  // Every access a scheduling point finds it too.
  Options all = instrumented("race-lost-update-all", 300);
  all.access_points = threadcheck::AccessPoints::All;
  Result everywhere = threadcheck::explore(all, [] { racyCounter(false, true); });
  ASSERT_EQ(everywhere.findings.size(), 1u) << everywhere.report();
  EXPECT_EQ(everywhere.findings[0].kind, "assertion") << everywhere.report();
}

TEST(ExploreRaces, RelaxedPublicationIsARaceReleaseAcquireIsNot) {
  expectFoundAndReplayed(
      instrumented("race-relaxed", 200),
      [] { publish(std::memory_order_relaxed, std::memory_order_relaxed); }, "data-race");
  expectClean(instrumented("race-release-acquire", 200),
              [] { publish(std::memory_order_release, std::memory_order_acquire); });
  expectClean(instrumented("race-seq-cst", 200),
              [] { publish(std::memory_order_seq_cst, std::memory_order_seq_cst); });
  expectClean(instrumented("race-fences", 200), publishWithFences);
}

TEST(ExploreRaces, HeapMemcpyRaceNamesTheBlockFixedTwinClean) {
  threadcheck::Finding f = expectFoundAndReplayed(
      instrumented("race-heap", 200), [] { heapMemcpy(false); }, "data-race");
  EXPECT_NE(f.message.find("heap block of 16 bytes"), std::string::npos) << f.report();
  expectClean(instrumented("race-heap-fixed", 200), [] { heapMemcpy(true); });
}

// Many schedules in one process: each must start with empty shadow memory and clocks, or the
// accesses of one schedule would race with those of the schedules before it.
TEST(ExploreRaces, RaceFreeTwinsStayCleanOverManySchedules) {
  expectClean(instrumented("race-counter-fixed", 400), [] { racyCounter(true, true); });
  expectClean(instrumented("race-fields", 300), neighbouringFields);
  Options all = instrumented("race-counter-fixed-all", 300);
  all.access_points = threadcheck::AccessPoints::All;
  expectClean(all, [] { racyCounter(true, true); });
}

// The test's own threads, and the test body's code outside explore(), run instrumented code too:
// none of it is part of a schedule.
TEST(ExploreRaces, ThreadsOutsideTheBodyAreNotExplored) {
  long outside = 0;
  std::jthread background([&](std::stop_token stop) {
    std::mutex m;
    while (!stop.stop_requested()) {
      std::lock_guard g(m);
      ++outside;
    }
  });
  expectClean(instrumented("race-background", 300), [] { racyCounter(true, true); });
  Result r = threadcheck::explore(instrumented("race-background-racy", 200),
                                  [] { racyCounter(false, false); });
  background.request_stop();
  background.join();
  EXPECT_GT(outside, 0);
  ASSERT_EQ(r.findings.size(), 1u) << r.report();
  EXPECT_EQ(r.findings[0].kind, "data-race");
  for (const auto& t : r.findings[0].threads)
    EXPECT_NE(t.id, 0) << r.report(); // the workers race, not the body's thread
}

TEST(ExploreRaces, BadInput) {
  Options o = instrumented("race-bad", 10);
  o.race_pass = 100001;
  EXPECT_THROW(threadcheck::explore(o, [] {}), std::invalid_argument);
  o.race_pass = 20;
  o.access_points = static_cast<threadcheck::AccessPoints>(7);
  EXPECT_THROW(threadcheck::explore(o, [] {}), std::invalid_argument);

  // A saved racy location in a module this process has not loaded.
  Result r =
      threadcheck::explore(instrumented("race-bad-sites", 300), [] { racyCounter(false, true); });
  ASSERT_EQ(r.findings.size(), 1u) << r.report();
  std::string saved = slurp(r.findings[0].schedule_file);
  size_t module = saved.find("\"module\": \"");
  ASSERT_NE(module, std::string::npos) << saved;
  saved.insert(module + 11, "/nonexistent");
  Options replay = instrumented("race-bad-sites-edited", 1);
  replay.name = "race-bad-sites";
  std::string path = replay.output_dir + ".json";
  std::ofstream(path) << saved;
  replay.replay = path;
  try {
    threadcheck::explore(replay, [] { racyCounter(false, true); });
    ADD_FAILURE() << "a replay file with a racy location in an unloaded module was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("which this process has not loaded"), std::string::npos)
        << e.what();
  }
}

} // namespace
