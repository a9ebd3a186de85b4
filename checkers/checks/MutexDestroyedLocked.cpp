// mutex-destroyed-locked: destroying a locked mutex is undefined behaviour (EBUSY for POSIX, a
// crash or silent corruption for std::mutex), and a guard that outlives its mutex unlocks freed
// memory when its own scope ends.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class MutexDestroyedLockedCheck : public ModelCheck {
public:
  std::string_view id() const override { return "mutex-destroyed-locked"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::DestroyedHeld)
      return;
    const std::string lock = quoted(obs.lock.display);
    const std::string locked =
        obs.previous.valid() ? " (locked" + atLine(obs.previous) + ")" : std::string();
    std::string msg = obs.guardStillOwns
                          ? lock + " is destroyed while a guard that outlives it still owns it" +
                                locked
                          : lock + " is destroyed while it is locked" + locked;
    out.push_back(makeFinding(obs, id(), std::move(msg)));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createMutexDestroyedLockedCheck() {
  return std::make_unique<MutexDestroyedLockedCheck>();
}

} // namespace threadcheck::checkers
