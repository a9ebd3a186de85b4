// Engine behaviour on small programs: each snippet carries its expected findings as
// "// expect: <check-id>" on the reported line; lines without it must stay quiet.
#include "EngineTestSupport.h"

#include <gtest/gtest.h>

namespace {

using namespace threadcheck::checkers::testing;

std::string describe(const std::vector<threadcheck::checkers::Finding>& fs) {
  std::string s;
  for (const auto& f : fs) {
    s += "  " + std::to_string(f.loc.line) + ": " + f.checkId + ": " + f.message + "\n";
    for (const auto& n : f.notes)
      s += "      note " + std::to_string(n.loc.line) + ": " + n.message + "\n";
  }
  return s;
}

void check(const std::vector<Source>& sources) {
  std::vector<std::string> expected;
  for (const Source& s : sources) {
    auto e = expectations(s.code);
    expected.insert(expected.end(), e.begin(), e.end());
  }
  std::sort(expected.begin(), expected.end());
  auto findings = analyze(sources);
  EXPECT_EQ(summarize(findings), expected) << describe(findings);
}
void checkCpp(const std::string& code) { check({{"t.cpp", code}}); }
void checkC(const std::string& code) { check({{"t.c", code}}); }

const char* kStd = "#include <mutex>\n#include <shared_mutex>\n#include <stdexcept>\n";

TEST(LockNotReleased, EarlyReturnLeavesLocalMutexHeld) {
  checkCpp(std::string(kStd) + R"(
std::mutex g;
int f(int x) {
  g.lock();
  if (x < 0)
    return -1; // expect: lock-not-released
  g.unlock();
  return x;
}
)");
}

TEST(LockNotReleased, LockWrapperIsNotAFinding) {
  checkCpp(std::string(kStd) + R"(
struct Account { std::mutex mu; int balance = 0; };
void lockAccount(Account* a) { a->mu.lock(); }
void unlockAccount(Account* a) { a->mu.unlock(); }
void deposit(Account* a, int n) {
  lockAccount(a);
  a->balance += n;
  unlockAccount(a);
}
void badDeposit(Account* a, int n) {
  lockAccount(a);
  if (n < 0)
    return; // expect: lock-not-released
  a->balance += n;
  unlockAccount(a);
}
)");
}

TEST(LockNotReleased, ExceptionPathWithManualLock) {
  checkCpp(std::string(kStd) + R"(
#include <vector>
std::mutex m;
std::vector<int> v;
void bump(int x) {
  m.lock();
  v.at(x) += 1; // expect: lock-not-released
  m.unlock();
}
void pushOnlyAllocates(int x) {
  m.lock();
  v.push_back(x);
  m.unlock();
}
void pushGuarded(int x) {
  std::lock_guard<std::mutex> g(m);
  v.push_back(x);
}
void noThrow(int x) noexcept {
  m.lock();
  v.push_back(x);
  m.unlock();
}
int helper(int x) { return x + 1; }
void callsNonThrowingHelper(int x) {
  m.lock();
  v[0] = helper(x);
  m.unlock();
}
void explicitThrow(int x) {
  m.lock();
  if (x < 0)
    throw std::runtime_error("negative"); // expect: lock-not-released
  m.unlock();
}
void caught(int x) {
  m.lock();
  try {
    v.push_back(x);
  } catch (...) {
    m.unlock();
    throw;
  }
  m.unlock();
}
)");
}

TEST(LockNotReleased, TryLockBranches) {
  checkCpp(std::string(kStd) + R"(
std::mutex m;
int counter;
void a() {
  if (m.try_lock()) {
    ++counter;
    m.unlock();
  }
}
void b() {
  if (!m.try_lock())
    return;
  ++counter;
  m.unlock();
}
void c() {
  bool ok = m.try_lock();
  ++counter;
  if (ok)
    m.unlock();
}
void d() {
  m.try_lock();
  ++counter;
  m.unlock(); // expect: unlock-not-held
}
)");
}

TEST(LockNotReleased, CorrelatedFlags) {
  checkCpp(std::string(kStd) + R"(
std::mutex m;
int counter;
void f(bool shared) {
  if (shared)
    m.lock();
  ++counter;
  if (shared)
    m.unlock();
}
void g(int n) {
  bool locked = false;
  if (n > 3) {
    m.lock();
    locked = true;
  }
  counter += n;
  if (locked)
    m.unlock();
}
void h(bool x, bool y) {
  if (x)
    m.lock();
  ++counter;
  if (y)
    m.unlock();
} // expect: lock-not-released
)");
}

TEST(Pthread, TrylockAndRecursiveAttributes) {
  checkC(R"(
#define _GNU_SOURCE
#include <pthread.h>
#include <errno.h>
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t rm = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
int counter;
void a(void) {
  if (pthread_mutex_trylock(&m) == 0) {
    counter++;
    pthread_mutex_unlock(&m);
  }
}
void b(void) {
  int rc = pthread_mutex_trylock(&m);
  if (rc != 0)
    return;
  counter++;
  pthread_mutex_unlock(&m);
}
void c(void) {
  pthread_mutex_lock(&m);
  pthread_mutex_lock(&m); // expect: double-lock
  pthread_mutex_unlock(&m);
  pthread_mutex_unlock(&m);
}
void d(void) {
  pthread_mutex_lock(&rm);
  pthread_mutex_lock(&rm);
  pthread_mutex_unlock(&rm);
  pthread_mutex_unlock(&rm);
}
void e(void) {
  pthread_mutexattr_t attr;
  pthread_mutex_t local;
  pthread_mutexattr_init(&attr);
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&local, &attr);
  pthread_mutex_lock(&local);
  pthread_mutex_lock(&local);
  pthread_mutex_unlock(&local);
  pthread_mutex_unlock(&local);
  pthread_mutex_destroy(&local);
}
void f(void) {
  pthread_mutex_t local;
  pthread_mutex_init(&local, NULL);
  pthread_mutex_unlock(&local); // expect: unlock-not-held
  pthread_mutex_lock(&local);
  pthread_mutex_destroy(&local); // expect: mutex-destroyed-locked
}
)");
}

TEST(Guards, UniqueLockOperations) {
  checkCpp(std::string(kStd) + R"(
std::mutex m;
int counter;
void deferred() {
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  lk.lock();
  ++counter;
}
void unlockEarly() {
  std::unique_lock<std::mutex> lk(m);
  ++counter;
  lk.unlock();
  lk.unlock(); // expect: unlock-not-held
}
void relock() {
  std::unique_lock<std::mutex> lk(m);
  lk.unlock();
  lk.lock();
  ++counter;
}
void released(bool early) {
  std::unique_lock<std::mutex> lk(m);
  lk.release();
  if (early)
    return; // expect: lock-not-released
  m.unlock();
}
void releasedThenUnlocked() {
  std::unique_lock<std::mutex> lk(m);
  lk.release();
  ++counter;
  m.unlock();
}
void adopted() {
  m.lock();
  std::lock_guard<std::mutex> g(m, std::adopt_lock);
  ++counter;
}
void tryTo() {
  std::unique_lock<std::mutex> lk(m, std::try_to_lock);
  if (!lk.owns_lock())
    return;
  ++counter;
}
void guardThenManual() {
  std::lock_guard<std::mutex> g(m);
  m.lock(); // expect: double-lock
}
std::unique_lock<std::mutex> acquire() {
  std::unique_lock<std::mutex> lk(m);
  return lk;
}
void usesAcquire() {
  auto lk = acquire();
  ++counter;
}
void moved() {
  std::unique_lock<std::mutex> a(m);
  std::unique_lock<std::mutex> b(std::move(a));
  ++counter;
}
void scoped(std::mutex& x, std::mutex& y) {
  std::scoped_lock both(x, y);
  ++counter;
}
void stdLock(std::mutex& x, std::mutex& y) {
  std::lock(x, y);
  std::lock_guard<std::mutex> gx(x, std::adopt_lock);
  std::lock_guard<std::mutex> gy(y, std::adopt_lock);
  ++counter;
}
std::shared_mutex sm;
int reader() {
  std::shared_lock<std::shared_mutex> r(sm);
  return counter;
}
)");
}

// std::lock and std::try_lock over deferred unique_locks lock through the guards: the guards own
// the mutexes afterwards and their destructors release them.
TEST(Guards, StdLockOverDeferredUniqueLocks) {
  checkCpp(std::string(kStd) + R"(
std::mutex a, b;
std::shared_mutex s;
int counter;
void lockBoth() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::lock(la, lb);
  ++counter;
}
void lockGuardAndMutex() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::lock(la, b);
  ++counter;
  b.unlock();
}
void lockBothUnlockOne() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::lock(lb, la);
  lb.unlock();
  ++counter;
}
bool tryBoth() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  if (std::try_lock(la, lb) != -1)
    return false;
  ++counter;
  return true;
}
void tryBothUnlockOnFailure() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  if (std::try_lock(la, lb) != -1)
    la.unlock(); // expect: unlock-not-held
}
void lockOwningGuard() {
  std::unique_lock<std::mutex> la(a);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::lock(la, lb); // expect: double-lock
}
void guardAndManualDoubleLock() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::lock(la, lb);
  a.lock(); // expect: double-lock
}
void lockBothParams(std::unique_lock<std::mutex>& x, std::unique_lock<std::mutex>& y) {
  std::lock(x, y);
}
void throughHelper() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  lockBothParams(la, lb);
  ++counter;
}
void sharedAndUnique() {
  std::shared_lock<std::shared_mutex> ls(s, std::defer_lock);
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::lock(ls, la);
  ++counter;
}
void scopedBoth() {
  std::scoped_lock both(a, b);
  ++counter;
}
void adoptedBoth() {
  std::lock(a, b);
  std::lock_guard<std::mutex> ga(a, std::adopt_lock);
  std::lock_guard<std::mutex> gb(b, std::adopt_lock);
  ++counter;
}
void manualForgotten(bool early) {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::lock(la, b);
  if (early)
    return; // expect: lock-not-released
  b.unlock();
}
)");
}

// A guard locked by std::lock in one function and by hand in another: a lock-order finding needs
// a real order, and std::lock gives none.
TEST(Guards, StdLockOverGuardsOrdersNothing) {
  checkCpp(std::string(kStd) + R"(
std::mutex a, b;
void ab() {
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::lock(la, lb);
}
void ba() {
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  std::lock(lb, la);
}
void lockBothParams(std::unique_lock<std::mutex>& x, std::unique_lock<std::mutex>& y) {
  std::lock(x, y);
}
void viaHelperReversed() {
  std::unique_lock<std::mutex> lb(b, std::defer_lock);
  std::unique_lock<std::mutex> la(a, std::defer_lock);
  lockBothParams(lb, la);
}
)");
}

TEST(MutexDestroyed, LocalMutexDiesHeld) {
  checkCpp(std::string(kStd) + R"(
int counter;
void f() {
  std::mutex local;
  local.lock();
  ++counter;
} // expect: lock-not-released, mutex-destroyed-locked
void g() {
  std::unique_lock<std::mutex> outer;
  {
    std::mutex inner;
    outer = std::unique_lock<std::mutex>(inner);
    ++counter;
  } // expect: mutex-destroyed-locked
}
void h() {
  std::mutex local;
  std::lock_guard<std::mutex> g(local);
  ++counter;
}
)");
}

TEST(Recursive, StdRecursiveMutexIsNeverADoubleLock) {
  checkCpp(std::string(kStd) + R"(
std::recursive_mutex rm;
int counter;
void inner() { std::lock_guard<std::recursive_mutex> g(rm); ++counter; }
void outer() { std::lock_guard<std::recursive_mutex> g(rm); inner(); }
std::mutex m;
void innerPlain() { std::lock_guard<std::mutex> g(m); ++counter; }
void outerPlain() {
  std::lock_guard<std::mutex> g(m);
  innerPlain(); // expect: double-lock
}
)");
}

TEST(BlockingUnderLock, SleepJoinAndWaits) {
  checkCpp(std::string(kStd) + R"(
#include <condition_variable>
#include <thread>
#include <chrono>
#include <future>
std::mutex m, other;
std::condition_variable cv;
bool ready;
void sleeps() {
  std::lock_guard<std::mutex> g(m);
  std::this_thread::sleep_for(std::chrono::milliseconds(5)); // expect: sleep-under-lock
}
void waitsRight() {
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; });
}
void waitsHoldingAnother() {
  std::lock_guard<std::mutex> g(other);
  std::unique_lock<std::mutex> lk(m);
  cv.wait(lk, [] { return ready; }); // expect: blocking-under-lock
}
void joins(std::thread& t) {
  std::lock_guard<std::mutex> g(m);
  t.join(); // expect: blocking-under-lock
}
int gets(std::future<int>& f) {
  std::lock_guard<std::mutex> g(m);
  return f.get(); // expect: blocking-under-lock
}
void slowHelper() { std::this_thread::sleep_for(std::chrono::seconds(1)); }
void callsSlow() {
  std::lock_guard<std::mutex> g(m);
  slowHelper(); // expect: sleep-under-lock
}
void sleepsOutside() {
  {
    std::lock_guard<std::mutex> g(m);
    ready = true;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}
)");
}

// A wait in a helper that receives the caller's unique_lock releases the caller's mutex: not
// blocking under that lock. Any other lock the caller holds stays held across the wait.
TEST(BlockingUnderLock, WaitInAHelperReleasesTheCallersGuard) {
  checkCpp(std::string(kStd) + R"(
#include <condition_variable>
#include <thread>
#include <chrono>
std::mutex m, other, third;
std::condition_variable cv;
std::condition_variable_any cva;
bool ready;
void waitReady(std::unique_lock<std::mutex>& lk) { cv.wait(lk, [] { return ready; }); }
void waitTwoLevels(std::unique_lock<std::mutex>& lk) { waitReady(lk); }
void consumer() {
  std::unique_lock<std::mutex> lk(m);
  waitReady(lk);
}
void consumerTwoLevels() {
  std::unique_lock<std::mutex> lk(m);
  waitTwoLevels(lk);
}
void consumerHoldingAnother() {
  std::lock_guard<std::mutex> g(other);
  std::unique_lock<std::mutex> lk(m);
  waitReady(lk); // expect: blocking-under-lock
}
void consumerOtherGuard() {
  std::unique_lock<std::mutex> held(other);
  std::unique_lock<std::mutex> lk(m, std::defer_lock);
  lk.lock();
  waitTwoLevels(lk); // expect: blocking-under-lock
}
void waitThenSleep(std::unique_lock<std::mutex>& lk) {
  cv.wait(lk, [] { return ready; });
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
void consumerSleeps() {
  std::unique_lock<std::mutex> lk(m);
  waitThenSleep(lk); // expect: sleep-under-lock
}
void waitOnOwnLock() {
  std::unique_lock<std::mutex> lk(third);
  cv.wait(lk, [] { return ready; });
}
void callerOfOwnLock() {
  std::lock_guard<std::mutex> g(m);
  waitOnOwnLock(); // expect: blocking-under-lock
}
void waitAny(std::unique_lock<std::mutex>& lk) { cva.wait(lk, [] { return ready; }); }
void consumerAny() {
  std::unique_lock<std::mutex> lk(m);
  waitAny(lk);
}
)");
}

TEST(UnnamedLockGuard, TemporariesAndShadowingDeclarations) {
  checkCpp(std::string(kStd) + R"(
std::mutex m;
int counter;
void a() {
  std::lock_guard<std::mutex>{m}; // expect: unnamed-lock-guard
  ++counter;
}
void b() {
  std::unique_lock<std::mutex>(m); // expect: unnamed-lock-guard
  ++counter;
}
void c() {
  std::lock_guard<std::mutex> named(m);
  ++counter;
}
void d() {
  std::unique_lock<std::mutex> later;
  later = std::unique_lock<std::mutex>(m);
  ++counter;
}
)");
}

} // namespace
