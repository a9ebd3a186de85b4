// Lock-order inversion over the whole program: the classic ABBA, through calls and files, the
// transfer between two objects of one class, and orders that are consistent or taken together.
#include "EngineTestSupport.h"

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
