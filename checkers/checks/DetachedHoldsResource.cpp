// detached-holds-resource: a detached ("daemon") thread is killed wherever it is when main
// returns. One that keeps a lock, or loops forever, dies mid-work: locks stay locked for the
// static destructors that run at exit, and half-done work is lost.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class DetachedHoldsResourceCheck : public ModelCheck {
public:
  std::string_view id() const override { return "detached-holds-resource"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::ThreadLaunch || !obs.detached ||
        obs.entryResource == Observation::EntryProblem::None)
      return;
    std::string msg =
        obs.entryResource == Observation::EntryProblem::HoldsLock
            ? "detached thread running " + quoted(obs.what) + " can return holding " +
                  quoted(obs.entryDetail) + "; it is never released"
            : "detached thread running " + quoted(obs.what) +
                  " never returns: it is killed mid-work when main returns; give it a stop flag "
                  "and join it";
    Finding f = makeFinding(obs, id(), std::move(msg));
    for (const PathNote& n : obs.entryNotes)
      f.notes.push_back({model::toLocation(n.loc), n.message, 0});
    out.push_back(std::move(f));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createDetachedHoldsResourceCheck() {
  return std::make_unique<DetachedHoldsResourceCheck>();
}

} // namespace threadcheck::checkers
