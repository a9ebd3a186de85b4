// double-lock: a thread locks a non-recursive mutex it already holds. std::mutex makes that
// undefined behaviour, a default pthread mutex and a C11 mtx_plain deadlock, and unique_lock::lock()
// on an owning guard throws std::system_error.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class DoubleLockCheck : public ModelCheck {
public:
  std::string_view id() const override { return "double-lock"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::DoubleLock)
      return;
    const std::string lock = quoted(obs.lock.display);
    std::string msg;
    if (obs.viaCall)
      msg = "calling " + quoted(obs.what) + " locks " + lock + ", which this thread already holds" +
            (obs.previous.valid() ? " (locked" + atLine(obs.previous) + ")" : "") +
            "; a non-recursive mutex deadlocks";
    else if (obs.viaGuard)
      msg = "the guard already owns " + lock + "; locking it again throws std::system_error";
    else
      msg = lock + " is locked again while this thread already holds it" +
            (obs.previous.valid() ? " (locked" + atLine(obs.previous) + ")" : "") +
            (obs.sharedAgain ? "; mixing shared and exclusive ownership deadlocks"
                             : "; a non-recursive mutex deadlocks");
    out.push_back(makeFinding(obs, id(), std::move(msg)));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createDoubleLockCheck() { return std::make_unique<DoubleLockCheck>(); }

} // namespace threadcheck::checkers
