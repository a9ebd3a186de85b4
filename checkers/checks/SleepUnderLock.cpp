// sleep-under-lock: a timed sleep (sleep, usleep, nanosleep, std::this_thread::sleep_for) while a
// lock is held delays every thread that needs the lock by the sleep's length. It waits for no
// other party, so it cannot deadlock, and maintenance threads that pace themselves under their
// own lock do it on purpose: off by default, for code bases that forbid it.
#include "checks/Check.h"
#include "checks/WaitedLocks.h"

namespace threadcheck::checkers {
namespace {

class SleepUnderLockCheck : public ModelCheck {
public:
  std::string_view id() const override { return "sleep-under-lock"; }

  void check(const Observation& obs, std::vector<Finding>&) override {
    waited_.note(obs);
    if (obs.kind == ObservationKind::BlockingUnderLock && obs.sleep)
      pending_.push_back(obs);
  }

  void finish(std::vector<Finding>& out) override {
    for (const Observation& obs : pending_)
      if (std::optional<Finding> f = waited_.finding(obs, id()))
        out.push_back(std::move(*f));
  }

private:
  WaitedLocks waited_;
  std::vector<Observation> pending_;
};

} // namespace

std::unique_ptr<ModelCheck> createSleepUnderLockCheck() {
  return std::make_unique<SleepUnderLockCheck>();
}

} // namespace threadcheck::checkers
