// thread-not-joined: a std::thread destroyed or overwritten while joinable calls std::terminate;
// a pthread_t or thrd_t lost before it was joined or detached leaks the thread's resources (and
// its result) for the life of the process.
#include "checks/Check.h"
#include "threadcheck/checkers/Facts.h"

#include <map>

namespace threadcheck::checkers {
namespace {

class ThreadNotJoinedCheck : public ModelCheck {
public:
  std::string_view id() const override { return "thread-not-joined"; }

  // The std::jthread fixes (JthreadFixPass.cpp), by the construction that started the thread.
  void begin(const ProgramView& program) override {
    for (const TranslationUnitFacts& unit : *program.units)
      for (const PreparedFix& p : unit.preparedFixes)
        if (p.checkId == id())
          jthreadFixes_.emplace(p.anchor, p.fix);
  }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    if (obs.kind != ObservationKind::ThreadNotJoined)
      return;
    const std::string t = quoted(obs.lock.display);
    const std::string started =
        obs.previous.valid() ? " (started" + atLine(obs.previous) + ")" : std::string();
    std::string msg;
    switch (obs.loss) {
    case ThreadLoss::ScopeEnd:
      msg = obs.handle ? "thread handle " + t + " goes out of scope without pthread_join or "
                             "pthread_detach" + started + "; the thread's resources leak"
                       : "std::thread " + t + " is destroyed while joinable" + started +
                             ": its destructor calls std::terminate; join or detach it on "
                             "every path, or use std::jthread";
      break;
    case ThreadLoss::MoveAssign:
      msg = "assigning to std::thread " + t + " while it is joinable" + started +
            " calls std::terminate; join or detach it first";
      break;
    case ThreadLoss::Temporary:
      msg = "this temporary std::thread is destroyed at the end of the statement while "
            "joinable: std::terminate; name it and join it, or detach it";
      break;
    case ThreadLoss::Exception:
      msg = "if " + quoted(obs.what) + " throws, std::thread " + t + " is destroyed while "
            "joinable" + started + " and std::terminate ends the program; use std::jthread or "
            "join in a catch";
      break;
    case ThreadLoss::HandleReused:
      msg = "pthread_create overwrites handle " + t + " of a thread that was never joined or "
            "detached" + started + "; that thread leaks";
      break;
    }
    Finding f = makeFinding(obs, id(), std::move(msg));
    // Only the exception path: elsewhere a jthread's joining destructor would block where the
    // code now ends (a missing join on a normal path is for its author to place).
    if (obs.loss == ThreadLoss::Exception && !obs.handle) {
      auto it = jthreadFixes_.find(model::toLocation(obs.previous));
      if (it != jthreadFixes_.end())
        f.fix = it->second;
    }
    out.push_back(std::move(f));
  }

private:
  std::map<Location, Fix> jthreadFixes_;
};

} // namespace

std::unique_ptr<ModelCheck> createThreadNotJoinedCheck() {
  return std::make_unique<ThreadNotJoinedCheck>();
}

} // namespace threadcheck::checkers
