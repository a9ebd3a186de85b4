// thread-exception-escape: an exception that leaves a thread's entry function has nowhere to go:
// std::terminate ends the whole program (Python's threading.excepthook has no C++ counterpart).
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class ThreadExceptionEscapeCheck : public ModelCheck {
public:
  std::string_view id() const override { return "thread-exception-escape"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::ThreadLaunch ||
        obs.entryThrows != Observation::EntryProblem::Throws)
      return;
    std::string msg = "an exception (" + obs.entryDetail + ") can escape the entry of this thread (" +
                      quoted(obs.what) + "): std::terminate ends the program; catch it in the "
                      "thread with catch (...)";
    Finding f = makeFinding(obs, id(), std::move(msg));
    for (const PathNote& n : obs.entryNotes)
      f.notes.push_back({model::toLocation(n.loc), n.message, 0});
    out.push_back(std::move(f));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createThreadExceptionEscapeCheck() {
  return std::make_unique<ThreadExceptionEscapeCheck>();
}

} // namespace threadcheck::checkers
