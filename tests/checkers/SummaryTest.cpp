// Summaries across translation units: a wrapper in one file, its callers in another.
#include "EngineTestSupport.h"

#include <gtest/gtest.h>

namespace {

using namespace threadcheck::checkers::testing;

TEST(Summaries, LockWrapperInAnotherTranslationUnit) {
  const std::string header = R"(
#include <pthread.h>
typedef struct { pthread_mutex_t m; int value; } resource;
void lock_resource(resource* r);
void unlock_resource(resource* r);
int try_lock_resource(resource* r);
)";
  Source impl{"impl.c", header + R"(
void lock_resource(resource* r) { pthread_mutex_lock(&r->m); }
void unlock_resource(resource* r) { pthread_mutex_unlock(&r->m); }
int try_lock_resource(resource* r) { return pthread_mutex_trylock(&r->m) == 0; }
)"};
  Source use{"use.c", header + R"(
void good(resource* r) {
  lock_resource(r);
  r->value++;
  unlock_resource(r);
}
void good_try(resource* r) {
  if (!try_lock_resource(r))
    return;
  r->value++;
  unlock_resource(r);
}
void bad_double(resource* r) {
  lock_resource(r);
  lock_resource(r); // expect: double-lock
  unlock_resource(r);
  unlock_resource(r);
}
void bad_unlock_twice(resource* r) {
  lock_resource(r);
  unlock_resource(r);
  unlock_resource(r); // expect: unlock-not-held
}
int bad_leak(resource* r, int x) {
  lock_resource(r);
  if (x)
    return 1; // expect: lock-not-released
  unlock_resource(r);
  return 0;
}
)"};
  std::vector<std::string> expected = expectations(use.code);
  auto findings = analyze({impl, use});
  std::vector<std::string> got = summarize(findings);
  EXPECT_EQ(got, expected);
  for (const auto& f : findings)
    EXPECT_NE(f.loc.file.find("use.c"), std::string::npos) << f.message;
}

TEST(Summaries, UserDefinedGuardClass) {
  const std::string code = R"(
#include <mutex>
class MutexLock {
public:
  explicit MutexLock(std::mutex* mu) : mu_(mu) { mu_->lock(); }
  ~MutexLock() { mu_->unlock(); }
private:
  std::mutex* mu_;
};
std::mutex m;
int counter;
void good() {
  MutexLock l(&m);
  ++counter;
}
void bad() {
  MutexLock l(&m);
  m.lock(); // expect: double-lock
}
)";
  auto findings = analyze({{"t.cpp", code}});
  EXPECT_EQ(summarize(findings), expectations(code));
}

} // namespace
