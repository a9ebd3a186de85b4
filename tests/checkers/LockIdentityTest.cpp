// Which expressions name the same lock: members through this and through other objects,
// parameters, globals, static locals, constant array elements, references and pointers.
#include "EngineTestSupport.h"

#include <gtest/gtest.h>

namespace {

using namespace threadcheck::checkers::testing;

void checkCode(const std::string& name, const std::string& code) {
  auto findings = analyze({{name, code}});
  std::string text;
  for (const auto& f : findings)
    text += "  " + std::to_string(f.loc.line) + ": " + f.checkId + ": " + f.message + "\n";
  EXPECT_EQ(summarize(findings), expectations(code)) << text;
}

TEST(LockIdentity, MembersParametersGlobalsAndStatics) {
  checkCode("t.cpp", R"(
#include <mutex>
struct Account {
  std::mutex mu;
  int balance = 0;
  void deposit(int n) {
    mu.lock();
    balance += n;
    this->mu.unlock();
  }
  void twice() {
    mu.lock();
    this->mu.lock(); // expect: double-lock
  }
};
void transfer(Account& from, Account& to, int n) {
  from.mu.lock();
  to.mu.lock(); // expect: lock-order-inversion
  from.balance -= n;
  to.balance += n;
  to.mu.unlock();
  from.mu.unlock();
}
void sameTwice(Account& a) {
  a.mu.lock();
  a.mu.lock(); // expect: double-lock
}
int counter;
void staticLocal(bool early) {
  static std::mutex sm;
  sm.lock();
  if (early)
    return; // expect: lock-not-released
  ++counter;
  sm.unlock();
}
std::mutex table[4];
void arrays() {
  table[0].lock();
  table[1].lock();
  table[1].unlock();
  table[0].unlock();
  table[2].lock();
  table[2].lock(); // expect: double-lock
}
void arraysByIndex(int i, int j) {
  table[i].lock();
  table[j].lock(); // unknown indices: never a double lock
  table[j].unlock();
  table[i].unlock();
}
void references(Account& a) {
  std::mutex& r = a.mu;
  r.lock();
  a.mu.lock(); // expect: double-lock
}
void pointers(Account* a) {
  std::mutex* p = &a->mu;
  p->lock();
  ++a->balance;
  a->mu.unlock();
}
void pointerReassigned(Account* a, Account* b) {
  std::mutex* p = &a->mu;
  p->lock();
  p = &b->mu;
  p->lock();
  p->unlock();
  a->mu.unlock();
}
)");
}

TEST(LockIdentity, RwlocksSpinlocksAndC11) {
  checkCode("t.c", R"(
#define _GNU_SOURCE
#include <pthread.h>
#include <threads.h>
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_spinlock_t spin;
mtx_t plain, rec;
int counter;
void readers(void) {
  pthread_rwlock_rdlock(&rw);
  pthread_rwlock_rdlock(&rw);
  counter++;
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_unlock(&rw);
}
void upgrade(void) {
  pthread_rwlock_rdlock(&rw);
  pthread_rwlock_wrlock(&rw); // expect: double-lock
  pthread_rwlock_unlock(&rw);
  pthread_rwlock_unlock(&rw);
}
void spins(int early) {
  pthread_spin_lock(&spin);
  if (early)
    return; // expect: lock-not-released
  pthread_spin_unlock(&spin);
}
void init(void) {
  mtx_init(&plain, mtx_plain);
  mtx_init(&rec, mtx_plain | mtx_recursive);
}
void c11(void) {
  mtx_lock(&rec);
  mtx_lock(&rec);
  mtx_unlock(&rec);
  mtx_unlock(&rec);
  mtx_lock(&plain);
  mtx_lock(&plain); // expect: double-lock
}
int c11try(void) {
  if (mtx_trylock(&plain) != thrd_success)
    return -1;
  counter++;
  mtx_unlock(&plain);
  return 0;
}
)");
}

TEST(Guards, MovedAcrossFunctionsAndStdTryLock) {
  checkCode("t.cpp", R"(
#include <mutex>
std::mutex a, b;
int counter;
void consume(std::unique_lock<std::mutex> lk) { ++counter; }
void handsOver() {
  std::unique_lock<std::mutex> lk(a);
  consume(std::move(lk));
  a.lock();
  a.unlock();
}
std::unique_lock<std::mutex> make() { return std::unique_lock<std::mutex>(a); }
void keeps() {
  std::unique_lock<std::mutex> lk = make();
  a.lock(); // expect: double-lock
}
void tryBoth() {
  if (std::try_lock(a, b) == -1) {
    ++counter;
    a.unlock();
    b.unlock();
  }
}
void tryBothWrong() {
  std::try_lock(a, b);
  a.unlock(); // expect: unlock-not-held
  b.unlock(); // expect: unlock-not-held
}
)");
}

} // namespace
