// unlock-not-held: releasing a mutex the thread does not hold is undefined behaviour for
// std::mutex and POSIX default mutexes, an EPERM that nobody checks for error-checking ones, and
// silently unlocks another thread's critical section in practice.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class UnlockNotHeldCheck : public ModelCheck {
public:
  std::string_view id() const override { return "unlock-not-held"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::UnlockNotHeld)
      return;
    const std::string lock = quoted(obs.lock.display);
    std::string msg;
    switch (obs.reason) {
    case NotHeldReason::GuardNotOwning:
      msg = "unlocking guard " + quoted(obs.what) +
            " that owns no mutex here; unique_lock::unlock() throws std::system_error";
      break;
    case NotHeldReason::AdoptedNotHeld:
      msg = "adopt_lock takes over " + lock + ", which is not locked here";
      break;
    case NotHeldReason::Initialised:
      msg = lock + " is unlocked right after being initialised" +
            (obs.previous.valid() ? atLine(obs.previous) : "") + "; it was never locked";
      break;
    case NotHeldReason::Released:
      msg = lock + " is unlocked again; it was already released" + atLine(obs.previous);
      break;
    case NotHeldReason::TryFailed:
      msg = lock + " is unlocked although the try-lock" + atLine(obs.previous) +
            " may have failed; test its result first";
      break;
    case NotHeldReason::LockFailed:
      msg = lock + " is unlocked on the path where locking it" + atLine(obs.previous) +
            " returned an error: nothing is held there";
      break;
    case NotHeldReason::NeverLocked:
      msg = lock + " is unlocked but was never locked on this path";
      break;
    }
    if (obs.viaCall)
      msg = "calling " + quoted(obs.what) + " unlocks " + lock + ", which is not held here" +
            (obs.reason == NotHeldReason::Released ? " (released" + atLine(obs.previous) + ")"
                                                   : "");
    else if (obs.viaGuard && obs.reason == NotHeldReason::Released)
      msg = "the guard releases " + lock + " at the end of its scope, but it was already "
            "unlocked" + atLine(obs.previous);
    out.push_back(makeFinding(obs, id(), std::move(msg)));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createUnlockNotHeldCheck() {
  return std::make_unique<UnlockNotHeldCheck>();
}

} // namespace threadcheck::checkers
