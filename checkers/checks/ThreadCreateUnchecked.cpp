// thread-create-unchecked (off by default): pthread_join / pthread_detach / thrd_join /
// thrd_detach of a handle on a path where its pthread_create / thrd_create may have failed. The
// handle then holds no thread and the call is undefined behaviour; but creation fails only when
// the process is out of threads or memory, and much real code does not check it, so this is a
// robustness report that a project turns on (--checks=thread-create-unchecked, or '*'), not a bug
// report of join-not-joinable.
#include "checks/Check.h"

namespace threadcheck::checkers {
namespace {

class ThreadCreateUncheckedCheck : public ModelCheck {
public:
  std::string_view id() const override { return "thread-create-unchecked"; }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::JoinNotJoinable ||
        obs.threadState != ThreadStateName::NotCreated)
      return;
    const std::string op = obs.what == "join" ? "joining " : "detaching ";
    const std::string where =
        obs.previous.valid() ? " (line " + std::to_string(obs.previous.line) + ")" : std::string();
    out.push_back(makeFinding(obs, id(),
                              op + quoted(obs.lock.display) +
                                  " on a path where its creation" + where +
                                  " may have failed: the handle then holds no thread (undefined "
                                  "behaviour); test the creation's result first"));
  }
};

} // namespace

std::unique_ptr<ModelCheck> createThreadCreateUncheckedCheck() {
  return std::make_unique<ThreadCreateUncheckedCheck>();
}

} // namespace threadcheck::checkers
