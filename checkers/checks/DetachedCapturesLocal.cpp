// detached-captures-local: a detached thread outlives the function that started it; whatever of
// that function's stack it reaches (a local captured by reference, a pointer to a local) dangles
// as soon as the function returns.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class DetachedCapturesLocalCheck : public ModelCheck {
public:
  std::string_view id() const override { return "detached-captures-local"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::DetachedCapture)
      return;
    std::string what = obs.notes.empty() ? std::string("a local") : obs.notes.front().message;
    const std::string fn = obs.function ? quoted(obs.function->name) : "the function";
    out.push_back(makeFinding(obs, id(),
                              "this thread is detached but can reach " + fn + "'s stack (" +
                                  what + "); it may still use it after " + fn + " returns"));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createDetachedCapturesLocalCheck() {
  return std::make_unique<DetachedCapturesLocalCheck>();
}

} // namespace threadcheck::checkers
