// join-not-joinable: join() or detach() of a std::thread that is not joinable throws
// std::system_error; pthread_join/pthread_detach of a handle that was already joined, detached or
// is the caller's own is undefined behaviour (or EDEADLK). A handle whose creation may have failed
// on the path is thread-create-unchecked's, which is off by default.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class JoinNotJoinableCheck : public ModelCheck {
public:
  std::string_view id() const override { return "join-not-joinable"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    // A handle whose creation may have failed is thread-create-unchecked's (off by default).
    if (obs.kind != ObservationKind::JoinNotJoinable ||
        obs.threadState == ThreadStateName::NotCreated)
      return;
    const std::string op = obs.handle ? (obs.what == "join" ? "pthread_join" : "pthread_detach")
                                      : obs.what + "()";
    const std::string t = quoted(obs.lock.display);
    const std::string where = obs.previous.valid() ? atLine(obs.previous) : std::string();
    std::string state;
    switch (obs.threadState) {
    case ThreadStateName::NotStarted:
      state = "was default-constructed and runs no thread";
      break;
    case ThreadStateName::Joined:
      state = "was already joined" + where;
      break;
    case ThreadStateName::Detached:
      state = "was already detached" + where;
      break;
    case ThreadStateName::MovedFrom:
      state = "was moved from" + where + " and runs no thread";
      break;
    case ThreadStateName::NotCreated:
      return;
    case ThreadStateName::Self:
      out.push_back(makeFinding(obs, id(),
                                "joining the calling thread itself never returns (EDEADLK)"));
      return;
    }
    std::string consequence =
        obs.handle ? "undefined behaviour" : "it throws std::system_error";
    out.push_back(makeFinding(obs, id(), op + " of " + t + ", which " + state + ": " + consequence));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createJoinNotJoinableCheck() {
  return std::make_unique<JoinNotJoinableCheck>();
}

} // namespace threadcheck::checkers
