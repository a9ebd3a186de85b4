// Lock-order inversion over the whole program: the classic ABBA, through calls and files, the
// transfer between two objects of one class, and orders that are consistent or taken together.
#include "EngineTestSupport.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace {

using namespace threadcheck::checkers::testing;

std::vector<threadcheck::checkers::Finding> only(const std::vector<threadcheck::checkers::Finding>& fs,
                                                 const std::string& id) {
  std::vector<threadcheck::checkers::Finding> out;
  for (const auto& f : fs)
    if (f.checkId == id)
      out.push_back(f);
  return out;
}

TEST(LockOrder, AbbaAcrossTranslationUnitsThroughACall) {
  const std::string header = "#include <mutex>\nextern std::mutex a, b;\nvoid takeA();\n";
  Source one{"one.cpp", header + R"(
std::mutex a, b;
void takeA() { std::lock_guard<std::mutex> g(a); }
void first() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b); // expect: lock-order-inversion
}
)"};
  Source two{"two.cpp", header + R"(
void second() {
  std::lock_guard<std::mutex> gb(b);
  takeA();
}
)"};
  auto findings = only(analyze({one, two}), "lock-order-inversion");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(summarize(findings), expectations(one.code));
  std::set<unsigned> flows;
  for (const auto& n : findings[0].notes)
    flows.insert(n.flow);
  EXPECT_EQ(flows.size(), 2u) << "one thread flow per acquisition chain";
  bool intoCallee = false;
  for (const auto& n : findings[0].notes)
    intoCallee |= n.message.find("'takeA' acquires 'a'") != std::string::npos;
  EXPECT_TRUE(intoCallee);
}

TEST(LockOrder, TransferBetweenTwoAccounts) {
  const std::string code = R"(
#include <mutex>
struct Account { std::mutex mu; long balance = 0; };
void transfer(Account& from, Account& to, long n) {
  std::lock_guard<std::mutex> f(from.mu);
  std::lock_guard<std::mutex> t(to.mu); // expect: lock-order-inversion
  from.balance -= n;
  to.balance += n;
}
void safeTransfer(Account& from, Account& to, long n) {
  std::scoped_lock both(from.mu, to.mu);
  from.balance -= n;
  to.balance += n;
}
)";
  auto findings = only(analyze({{"t.cpp", code}}), "lock-order-inversion");
  EXPECT_EQ(summarize(findings), expectations(code));
}

TEST(LockOrder, ConsistentOrdersTryLocksAndStdLockAreFine) {
  const std::string code = R"(
#include <mutex>
std::mutex a, b, c;
void one() { std::lock_guard<std::mutex> ga(a); std::lock_guard<std::mutex> gb(b); }
void two() { std::lock_guard<std::mutex> ga(a); std::lock_guard<std::mutex> gc(c); }
void three() { std::lock_guard<std::mutex> gb(b); std::lock_guard<std::mutex> gc(c); }
void backOff() {
  std::lock_guard<std::mutex> gc(c);
  if (a.try_lock()) // a try-lock cannot wait, so it cannot deadlock
    a.unlock();
}
void both() {
  std::lock(c, a);
  std::lock_guard<std::mutex> gc(c, std::adopt_lock);
  std::lock_guard<std::mutex> ga(a, std::adopt_lock);
}
)";
  EXPECT_TRUE(only(analyze({{"t.cpp", code}}), "lock-order-inversion").empty());
}

// f() takes A and calls g(), which calls h(), which takes B: the edge A -> B is two calls deep,
// and the chain in the notes walks through both calls.
TEST(LockOrder, CycleThroughTwoLevelsOfCalls) {
  const std::string code = R"(
#include <mutex>
std::mutex A, B, C;
void h() { std::lock_guard<std::mutex> g(B); }
void g() { h(); }
void f() {
  std::lock_guard<std::mutex> ga(A);
  g(); // expect: lock-order-inversion
}
void other() {
  std::lock_guard<std::mutex> gb(B);
  std::lock_guard<std::mutex> ga(A);
}
void cOnly() { std::lock_guard<std::mutex> gc(C); }
void viaC() { cOnly(); }
void takesCThenB() {
  std::lock_guard<std::mutex> gc(C);
  g();
}
void takesBThenC() {
  std::lock_guard<std::mutex> gb(B);
  std::unique_lock<std::mutex> lc(C, std::try_to_lock); // a try-lock orders nothing
}
)";
  auto findings = only(analyze({{"t.cpp", code}}), "lock-order-inversion");
  ASSERT_EQ(summarize(findings), expectations(code));
  std::vector<std::string> chain;
  for (const auto& n : findings[0].notes)
    if (n.flow == 1 || n.flow == 0)
      chain.push_back(std::to_string(n.loc.line) + " " + n.message);
  auto has = [&](const std::string& text) {
    return std::any_of(chain.begin(), chain.end(),
                       [&](const std::string& c) { return c.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("8 calling 'g'")) << ::testing::PrintToString(chain);
  EXPECT_TRUE(has("5 calling 'h'")) << ::testing::PrintToString(chain);
  EXPECT_TRUE(has("4 'g' acquires 'B' here while 'A' is held")) << ::testing::PrintToString(chain);
}

// The callee two levels down locks the lock the caller holds: a self-deadlock through calls.
TEST(LockOrder, DoubleLockThroughTwoLevelsOfCalls) {
  const std::string code = R"(
#include <mutex>
std::mutex A;
void h() { std::lock_guard<std::mutex> g(A); }
void g() { h(); }
void f() {
  std::lock_guard<std::mutex> ga(A);
  g(); // expect: double-lock
}
)";
  auto findings = only(analyze({{"t.cpp", code}}), "double-lock");
  EXPECT_EQ(summarize(findings), expectations(code));
}

TEST(LockOrder, ThreeLockCycle) {
  const std::string code = R"(
#include <pthread.h>
pthread_mutex_t x = PTHREAD_MUTEX_INITIALIZER, y = PTHREAD_MUTEX_INITIALIZER,
                z = PTHREAD_MUTEX_INITIALIZER;
void xy(void) { pthread_mutex_lock(&x); pthread_mutex_lock(&y); // expect: lock-order-inversion
  pthread_mutex_unlock(&y); pthread_mutex_unlock(&x); }
void yz(void) { pthread_mutex_lock(&y); pthread_mutex_lock(&z); pthread_mutex_unlock(&z); pthread_mutex_unlock(&y); }
void zx(void) { pthread_mutex_lock(&z); pthread_mutex_lock(&x); pthread_mutex_unlock(&x); pthread_mutex_unlock(&z); }
)";
  auto findings = only(analyze({{"t.c", code}}), "lock-order-inversion");
  EXPECT_EQ(summarize(findings), expectations(code));
}

} // namespace
