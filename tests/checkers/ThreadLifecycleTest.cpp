// Thread objects and handles through their lives: started, joined, detached, moved, lost.
#include "EngineTestSupport.h"

#include <gtest/gtest.h>

namespace {

using namespace threadcheck::checkers::testing;

void checkCode(const std::vector<Source>& sources) {
  std::vector<std::string> expected;
  for (const Source& s : sources) {
    auto e = expectations(s.code);
    expected.insert(expected.end(), e.begin(), e.end());
  }
  std::sort(expected.begin(), expected.end());
  auto findings = analyze(sources);
  std::string text;
  for (const auto& f : findings) {
    text += "  " + std::to_string(f.loc.line) + ": " + f.checkId + ": " + f.message + "\n";
    for (const auto& n : f.notes)
      text += "      note " + std::to_string(n.loc.line) + ": " + n.message + "\n";
  }
  EXPECT_EQ(summarize(findings), expected) << text;
}

TEST(ThreadLifecycle, StdThreadJoinedDetachedLost) {
  checkCode({{"t.cpp", R"(
#include <thread>
#include <vector>
#include <utility>
void work() noexcept {}
void joined() {
  std::thread t(work);
  t.join();
}
void lost(bool fast) {
  std::thread t(work);
  if (fast)
    return; // expect: thread-not-joined
  t.join();
}
void guarded(bool fast) {
  std::thread t(work);
  if (!fast)
    t.join();
  if (t.joinable())
    t.join();
}
void twice() {
  std::thread t(work);
  t.join();
  t.join(); // expect: join-not-joinable
}
void defaulted() {
  std::thread t;
  t.join(); // expect: join-not-joinable
}
void moved() {
  std::thread a(work);
  std::thread b(std::move(a));
  b.join();
  a.join(); // expect: join-not-joinable
}
void reassigned() {
  std::thread t(work);
  t = std::thread(work); // expect: thread-not-joined
  t.join();
}
void reassignedAfterJoin() {
  std::thread t(work);
  t.join();
  t = std::thread(work);
  t.join();
}
void pool() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(work);
  for (auto& t : threads)
    t.join();
}
void handedOver(std::vector<std::thread>& owner) {
  std::thread t(work);
  owner.push_back(std::move(t));
}
void jthreads() { std::jthread t(work); }
void exceptionPath(std::vector<int>& v) {
  std::thread t(work);
  v.at(0) = 1; // expect: thread-not-joined
  t.join();
}
struct Worker {
  std::thread th;
  void start() { th = std::thread(work); }
  ~Worker() {
    if (th.joinable())
      th.join();
  }
};
)"}});
}

// Threads handed to a container (or any callee we cannot see) through a `std::thread&&`
// parameter are the container's: the moved-from temporary or variable is not joinable. A
// temporary that nobody takes is still lost.
TEST(ThreadLifecycle, ThreadsHandedOverByRvalueReference) {
  checkCode({{"t.cpp", R"(
#include <deque>
#include <optional>
#include <thread>
#include <utility>
#include <vector>
void work() noexcept {}
void pushTemporaries() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.push_back(std::thread(work));
  for (auto& t : threads)
    t.join();
}
void emplaceTemporary() {
  std::vector<std::thread> threads;
  threads.emplace_back(std::thread(work));
  threads.emplace_back(std::thread([] {}));
  for (auto& t : threads)
    t.join();
}
void pushMoved() {
  std::vector<std::thread> v;
  std::thread t(work);
  v.push_back(std::move(t));
  for (auto& x : v)
    x.join();
}
void insertIntoDeque() {
  std::deque<std::thread> q;
  q.insert(q.end(), std::thread(work));
  q.front().join();
}
void intoOptional() {
  std::optional<std::thread> o{std::thread(work)};
  o->join();
}
void adopt(std::thread&& t);
void toUnseenCallee() { adopt(std::thread(work)); }
struct Pool {
  std::vector<std::thread> threads;
  void add(std::thread&& t) { threads.push_back(std::move(t)); }
  void ignore(std::thread&&) {}
  ~Pool() {
    for (auto& t : threads)
      t.join();
  }
};
void toVisibleCallee(Pool& p) { p.add(std::thread(work)); }
void dropped() {
  std::thread{work}; // expect: thread-not-joined
}
void look(const std::thread& t) noexcept;
void byConstReference() {
  look(std::thread(work)); // expect: thread-not-joined
}
void ignoredByCallee(Pool& p) {
  p.ignore(std::thread(work)); // expect: thread-not-joined
}
)"}});
}

TEST(ThreadLifecycle, PosixHandles) {
  checkCode({{"t.c", R"(
#include <pthread.h>
#include <stddef.h>
static void* work(void* arg) { return arg; }
int joined(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  pthread_join(t, NULL);
  return 0;
}
int lost(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0)
    return -1;
  return 0; // expect: thread-not-joined
}
void joinAfterFailure(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0) {
    pthread_join(t, NULL); // expect: thread-create-unchecked
    return;
  }
  pthread_join(t, NULL);
}
void detachedAttr(void) {
  pthread_t t;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&t, &attr, work, NULL);
  pthread_attr_destroy(&attr);
}
void doubleDetach(void) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) == 0) {
    pthread_detach(t);
    pthread_detach(t); // expect: join-not-joinable
  }
}
void self(void) {
  pthread_join(pthread_self(), NULL); // expect: join-not-joinable
}
struct ctx { pthread_t tid; };
void stored(struct ctx* c) {
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) == 0)
    c->tid = t;
}
)"}});
}

TEST(ThreadLifecycle, DetachedThreadsAndTheirEntries) {
  checkCode({{"t.cpp", R"(
#include <thread>
#include <mutex>
#include <memory>
#include <string>
#include <stdexcept>
std::mutex g;
void byRef() {
  int counter = 0;
  std::thread t([&] { ++counter; }); // expect: detached-captures-local
  t.detach();
}
void byValue() {
  int counter = 0;
  std::thread([counter] { (void)counter; }).detach();
}
void sharedOwnership() {
  auto data = std::make_shared<int>(0);
  std::thread([data] { ++*data; }).detach();
}
void refArg(int& out);
void passesRef() {
  int x = 0;
  std::thread t(refArg, std::ref(x)); // expect: detached-captures-local
  t.detach();
}
void joinedByRef() {
  int counter = 0;
  std::thread t([&] { ++counter; });
  t.join();
}
void holdsLock() {
  std::thread([] { g.lock(); }).detach(); // expect: detached-holds-resource
}
void daemon() {
  std::thread([] { // expect: detached-holds-resource
    for (;;)
      std::this_thread::yield();
  }).detach();
}
void throws() {
  std::thread t([] { throw std::runtime_error("boom"); }); // expect: thread-exception-escape
  t.join();
}
void parses(const std::string& s) {
  std::thread t([s] { (void)std::stoi(s); }); // expect: thread-exception-escape
  t.join();
}
void catches(const std::string& s) {
  std::thread t([s] {
    try {
      (void)std::stoi(s);
    } catch (...) {
    }
  });
  t.join();
}
void throwsDeep(int x) {
  if (x < 0)
    throw std::invalid_argument("x");
}
void callsDeep() {
  std::thread t(throwsDeep, -1); // expect: thread-exception-escape
  t.join();
}
)"}});
}

TEST(ThreadLifecycle, ThreadLocalEscape) {
  checkCode({{"t.cpp", R"(
#include <thread>
thread_local int tl = 0;
int* shared = nullptr;
void use(int* p);
void own() {
  std::thread t([] { ++tl; });
  t.join();
}
void passes() {
  std::thread t(use, &tl); // expect: thread-local-escape
  t.join();
}
void stores() {
  shared = &tl; // expect: thread-local-escape
}
void capturedPointer() {
  int* p = &tl;
  std::thread t([p] { ++*p; }); // expect: thread-local-escape
  t.join();
}
void copies() {
  std::thread t([v = tl] { (void)v; });
  t.join();
}
void sameThread() { use(&tl); }
)"}});
}

} // namespace
