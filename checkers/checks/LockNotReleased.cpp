// lock-not-released: a path that leaves a function (return, end of body, exception) with a lock
// still held that the function is responsible for. Every later lock of it blocks forever.
#include "checks/Check.h"
#include "threadcheck/checkers/Facts.h"

#include <map>

namespace threadcheck::checkers {
namespace {

class LockNotReleasedCheck : public ModelCheck {
public:
  std::string_view id() const override { return "lock-not-released"; }

  // The scoped_lock fixes (ScopedLockFixPass.cpp), by the `lock()` call that each one replaces.
  void begin(const ProgramView& program) override {
    for (const TranslationUnitFacts& unit : *program.units)
      for (const PreparedFix& p : unit.preparedFixes)
        if (p.checkId == id())
          fixes_.emplace(p.anchor, p.fix);
  }

  void check(const Observation& obs, std::vector<Finding>& out) override {
    const std::string lock = quoted(obs.lock.display);
    const std::string fn = obs.function ? quoted(obs.function->name) : "the function";
    const std::string locked =
        obs.previous.valid() ? " (locked" + atLine(obs.previous) + ")" : std::string();
    if (obs.kind == ObservationKind::HeldAtExit) {
      Finding f = makeFinding(obs, id(),
                              lock + " is still locked when " + fn +
                                  (obs.fellOffEnd ? " reaches its end" : " returns here") + locked);
      f.notes.push_back({model::toLocation(obs.loc),
                         obs.fellOffEnd ? "leaving the function with " + lock + " held"
                                        : "returning with " + lock + " held"});
      out.push_back(std::move(f));
      return;
    }
    if (obs.kind == ObservationKind::HeldAtThrow) {
      std::string msg = obs.explicitThrow ? "throwing here leaves " + lock + " locked" + locked
                                          : "if " + quoted(obs.what) + " throws, " + lock +
                                                " stays locked" + locked;
      msg += "; use a lock guard so the exception releases it";
      Finding f = makeFinding(obs, id(), std::move(msg));
      if (auto it = fixes_.find(model::toLocation(obs.previous)); it != fixes_.end())
        f.fix = it->second;
      out.push_back(std::move(f));
    }
  }

private:
  std::map<Location, Fix> fixes_;
};

} // namespace

std::unique_ptr<ModelCheck> createLockNotReleasedCheck() {
  return std::make_unique<LockNotReleasedCheck>();
}

} // namespace threadcheck::checkers
