// blocking-under-lock: a call that can wait for an unbounded time while a lock is held stalls
// every thread that needs the lock, and deadlocks when the awaited event needs the lock too.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class BlockingUnderLockCheck : public ModelCheck {
public:
  std::string_view id() const override { return "blocking-under-lock"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::BlockingUnderLock)
      return;
    std::string held;
    for (size_t i = 0; i < obs.held.size(); ++i) {
      if (i)
        held += i + 1 == obs.held.size() ? " and " : ", ";
      held += quoted(obs.held[i].display);
    }
    std::string msg = obs.viaCall
                          ? "calling " + quoted(obs.what) + ", which can block, while holding " + held
                          : quoted(obs.what) + " can block while holding " + held;
    if (obs.previous.valid())
      msg += " (locked" + atLine(obs.previous) + ")";
    out.push_back(makeFinding(obs, id(), std::move(msg)));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createBlockingUnderLockCheck() {
  return std::make_unique<BlockingUnderLockCheck>();
}

} // namespace threadcheck::checkers
