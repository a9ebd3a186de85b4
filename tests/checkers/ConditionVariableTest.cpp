// cv-wait-no-predicate and cv-mixed-mutexes: waits that do and do not re-test the condition, and
// one condition variable waited on with two mutexes, in one file and across files.
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

TEST(CvWaitNoPredicate, IfInsteadOfWhileAndBareWaitsAreReported) {
  const std::string code = R"(
#include <condition_variable>
#include <mutex>
std::mutex m;
std::condition_variable cv;
bool ready = false;
void bare() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk); // expect: cv-wait-no-predicate
}
void guarded() {
  std::unique_lock<std::mutex> lk(m);
  if (!ready)
    cv.wait(lk); // expect: cv-wait-no-predicate
}
void counted() {
  std::unique_lock<std::mutex> lk(m);
  for (int i = 0; i < 2; ++i)
    cv.wait_for(lk, std::chrono::seconds(1)); // expect: cv-wait-no-predicate
}
)";
  auto findings = only(analyzeCpp(code), "cv-wait-no-predicate");
  EXPECT_EQ(summarize(findings), expectations(code));
  ASSERT_FALSE(findings.empty());
  EXPECT_NE(findings[0].message.find("spurious wakeup"), std::string::npos);
}

TEST(CvWaitNoPredicate, LoopsThatReTestSharedStateArePredicates) {
  const std::string code = R"(
#include <condition_variable>
#include <mutex>
#include <thread>
std::mutex m;
std::condition_variable cv;
bool ready = false;
void pred() { std::unique_lock<std::mutex> lk(m); cv.wait(lk, [] { return ready; }); }
void loop() { std::unique_lock<std::mutex> lk(m); while (!ready) cv.wait(lk); }
void forever() {
  std::unique_lock<std::mutex> lk(m);
  for (;;) { if (ready) break; cv.wait(lk); }
}
void captured() {
  bool done = false;
  std::thread t([&] { std::lock_guard<std::mutex> g(m); done = true; cv.notify_one(); });
  { std::unique_lock<std::mutex> lk(m); while (!done) cv.wait(lk); }
  t.join();
}
)";
  EXPECT_TRUE(only(analyzeCpp(code), "cv-wait-no-predicate").empty());
}

TEST(CvWaitNoPredicate, PthreadAndC11WaitsOutsideLoops) {
  const std::string code = R"(
#include <pthread.h>
#include <threads.h>
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c = PTHREAD_COND_INITIALIZER;
int flag;
void once(void) {
  pthread_mutex_lock(&m);
  if (!flag)
    pthread_cond_wait(&c, &m); // expect: cv-wait-no-predicate
  pthread_mutex_unlock(&m);
}
void looped(void) {
  pthread_mutex_lock(&m);
  while (!flag)
    pthread_cond_wait(&c, &m);
  pthread_mutex_unlock(&m);
}
void c11(mtx_t* mm, cnd_t* cc) {
  mtx_lock(mm);
  cnd_wait(cc, mm); // expect: cv-wait-no-predicate
  mtx_unlock(mm);
}
)";
  auto findings = only(analyzeC(code), "cv-wait-no-predicate");
  EXPECT_EQ(summarize(findings), expectations(code));
}

TEST(CvWaitNoPredicate, EndlessWorkerLoopReTestsTheIfOnItsNextPass) {
  const std::string code = R"(
#include <pthread.h>
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t c = PTHREAD_COND_INITIALIZER;
int count, depth;
void take(void);
void* retested(void* arg) {
  for (;;) {
    pthread_mutex_lock(&m);
    if (count == 0)
      pthread_cond_wait(&c, &m);
    if (count > 0) { count--; take(); }
    pthread_mutex_unlock(&m);
  }
  return arg;
}
void* used_anyway(void* arg) {
  while (1) {
    pthread_mutex_lock(&m);
    if (count == 0 ||
        depth == 0)
      pthread_cond_wait(&c, &m); // expect: cv-wait-no-predicate
    count--;
    pthread_mutex_unlock(&m);
  }
  return arg;
}
)";
  auto findings = only(analyzeC(code), "cv-wait-no-predicate");
  EXPECT_EQ(summarize(findings), expectations(code));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("'if (count == 0 || depth == 0)'"), std::string::npos)
      << findings[0].message;
}

TEST(CvMixedMutexes, AcrossTranslationUnitsWithANoteAtTheOtherWait) {
  const std::string header = R"(
#include <pthread.h>
struct q { pthread_mutex_t lock, other; pthread_cond_t cv; int n; };
)";
  Source a{"a.c", header + R"(
void take(struct q* p) {
  pthread_mutex_lock(&p->lock);
  while (!p->n)
    pthread_cond_wait(&p->cv, &p->lock);
  pthread_mutex_unlock(&p->lock);
}
)"};
  Source b{"b.c", header + R"(
void peek(struct q* p) {
  pthread_mutex_lock(&p->other);
  while (!p->n)
    pthread_cond_wait(&p->cv, &p->other); // expect: cv-mixed-mutexes
  pthread_mutex_unlock(&p->other);
}
)"};
  auto findings = only(analyze({a, b}), "cv-mixed-mutexes");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(summarize(findings), expectations(b.code));
  EXPECT_NE(findings[0].message.find("'q::cv'"), std::string::npos) << findings[0].message;
  ASSERT_EQ(findings[0].notes.size(), 1u);
  EXPECT_NE(findings[0].notes[0].loc.file.find("a.c"), std::string::npos);
}

TEST(CvMixedMutexes, GuardsOfTheSameMutexAndParametersAreQuiet) {
  const std::string code = R"(
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
struct Box { std::mutex mu; std::condition_variable cv; bool full = false; };
void a(Box& b) { std::unique_lock<std::mutex> lk(b.mu); b.cv.wait(lk, [&] { return b.full; }); }
void c(Box& x, Box& y) {
  std::unique_lock<std::mutex> lk(y.mu);
  y.cv.wait(lk, [&] { return y.full; });
  (void)x;
}
void helper(std::condition_variable& cv, std::unique_lock<std::mutex>& lk) { cv.wait(lk, [] { return true; }); }
std::mutex other;
void d(Box& b) { std::unique_lock<std::mutex> lk(other); helper(b.cv, lk); }
)";
  EXPECT_TRUE(only(analyzeCpp(code), "cv-mixed-mutexes").empty());
}

TEST(CvMixedMutexes, GuardThroughUniqueLockOfAnotherMutex) {
  const std::string code = R"(
#include <condition_variable>
#include <mutex>
std::mutex m1, m2;
std::condition_variable cv;
bool ready = false;
void first() { std::unique_lock<std::mutex> lk(m1); cv.wait(lk, [] { return ready; }); }
void second() {
  std::unique_lock<std::mutex> lk(m2);
  cv.wait(lk, [] { return ready; }); // expect: cv-mixed-mutexes
}
)";
  auto findings = only(analyzeCpp(code), "cv-mixed-mutexes");
  EXPECT_EQ(summarize(findings), expectations(code));
}

} // namespace
