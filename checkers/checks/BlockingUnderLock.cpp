// blocking-under-lock: a call that waits for another party (a thread to finish, a condition
// variable of another mutex, a peer's bytes, a semaphore) while a lock is held stalls every
// thread that needs the lock for as long as that party takes, and deadlocks when the awaited
// event needs the lock too. Timed sleeps are sleep-under-lock's.
#include "checks/Check.h"
#include "checks/WaitedLocks.h"

namespace threadcheck::checkers {
namespace {

class BlockingUnderLockCheck : public ModelCheck {
public:
  std::string_view id() const override { return "blocking-under-lock"; }

  void check(const Observation& obs, std::vector<Finding>&) override {
    waited_.note(obs);
    if (obs.kind == ObservationKind::BlockingUnderLock && !obs.sleep)
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

std::unique_ptr<ModelCheck> createBlockingUnderLockCheck() {
  return std::make_unique<BlockingUnderLockCheck>();
}

} // namespace threadcheck::checkers
