// semaphore-over-release and latch-barrier-misuse: counts that provably exceed a bound on a path,
// and the branches, loops and other threads that keep them quiet.
#include "EngineTestSupport.h"

#include <gtest/gtest.h>

namespace {

using namespace threadcheck::checkers;
using namespace threadcheck::checkers::testing;

std::vector<Finding> only(const std::vector<Finding>& fs, const std::string& id) {
  std::vector<Finding> out;
  for (const auto& f : fs)
    if (f.checkId == id)
      out.push_back(f);
  return out;
}

TEST(SemaphoreOverRelease, BinaryReleasedTwiceAndReleaseAboveMax) {
  const std::string code = R"(
#include <semaphore>
void twice() {
  std::binary_semaphore s(0);
  s.release();
  s.release(); // expect: semaphore-over-release
}
struct S { std::counting_semaphore<3> sem{0}; };
void big(S& x) {
  x.sem.release(4); // expect: semaphore-over-release
}
void loop() {
  std::binary_semaphore s(0);
  for (int i = 0; i < 2; ++i)
    s.release(); // expect: semaphore-over-release
}
)";
  auto findings = only(analyzeCpp(code), "semaphore-over-release");
  EXPECT_EQ(summarize(findings), expectations(code));
  ASSERT_FALSE(findings.empty());
  EXPECT_NE(findings[0].message.find("maximum of 1"), std::string::npos) << findings[0].message;
}

TEST(SemaphoreOverRelease, CorrelatedBranchesCallsAndUnknownCountsAreQuiet) {
  const std::string code = R"(
#include <semaphore>
void step();
void correlated(bool t) {
  std::counting_semaphore<4> pool(1);
  if (t) pool.acquire();
  if (t) pool.release();
}
struct Sig { std::binary_semaphore s{0}; };
void between(Sig& x) { x.s.release(); step(); x.s.release(); }
void unknown(int n) { std::counting_semaphore<2> s(0); s.release(n); }
void alternate() { std::binary_semaphore s(0); s.release(); s.acquire(); s.release(); }
)";
  EXPECT_TRUE(only(analyzeCpp(code), "semaphore-over-release").empty());
}

TEST(SemaphoreOverRelease, PosixPoolPostedAboveItsInitialValue) {
  const std::string code = R"(
#include <semaphore.h>
void pool(void) {
  sem_t s;
  sem_init(&s, 0, 1);
  sem_wait(&s);
  sem_post(&s);
  sem_post(&s); // expect: semaphore-over-release
}
void signal(void) {
  sem_t s;
  sem_init(&s, 0, 0);
  sem_post(&s);
  sem_post(&s);
}
)";
  auto findings = only(analyzeC(code), "semaphore-over-release");
  EXPECT_EQ(summarize(findings), expectations(code));
}

TEST(LatchBarrierMisuse, LatchCountedDownPastZeroByThreadsAndByHand) {
  const std::string code = R"(
#include <latch>
#include <thread>
#include <vector>
void own() {
  std::latch l(1);
  l.count_down();
  l.count_down(); // expect: latch-barrier-misuse
}
void threads() {
  std::latch l(2);
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i)
    ts.emplace_back([&] { l.count_down(); }); // expect: latch-barrier-misuse
  for (auto& t : ts) t.join();
}
void fine() {
  std::latch l(2);
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([&] { l.count_down(); });
  l.wait();
  for (auto& t : ts) t.join();
}
)";
  auto findings = only(analyzeCpp(code), "latch-barrier-misuse");
  EXPECT_EQ(summarize(findings), expectations(code));
}

TEST(LatchBarrierMisuse, BarrierWithMoreThreadsThanItsCount) {
  const std::string code = R"(
#include <barrier>
#include <thread>
#include <vector>
void phases() {
  std::barrier b(3);
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&] { b.arrive_and_wait(); }); // expect: latch-barrier-misuse
  for (auto& t : ts) t.join();
}
void with_me() {
  std::barrier b(3);
  std::thread x([&] { b.arrive_and_wait(); });
  std::thread y([&] { b.arrive_and_wait(); });
  b.arrive_and_wait();
  x.join();
  y.join();
}
void unknown(int n) {
  std::barrier b(3);
  std::vector<std::thread> ts;
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&] { b.arrive_and_wait(); });
  for (auto& t : ts) t.join();
}
)";
  auto findings = only(analyzeCpp(code), "latch-barrier-misuse");
  EXPECT_EQ(summarize(findings), expectations(code));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("at least 4 threads"), std::string::npos)
      << findings[0].message;
}

} // namespace
