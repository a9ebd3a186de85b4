// blocking-under-lock: a call that can wait for an unbounded time while a lock is held stalls
// every thread that needs the lock, and deadlocks when the awaited event needs the lock too.
// A lock that no code of the program ever waits for (every acquisition is a try-lock, as in a
// test that probes a rwlock with tryrdlock/trywrlock) stalls nobody: it is left out, and a
// blocking call under such locks only is not reported.
#include "checks/Check.h"

#include <set>

namespace threadcheck::checkers {
namespace {

class BlockingUnderLockCheck : public ModelCheck {
public:
  std::string_view id() const override { return "blocking-under-lock"; }

  void check(const Observation& obs, std::vector<Finding>&) override {
    if (obs.kind == ObservationKind::Acquired) {
      std::vector<std::string> names = identities(obs.lock);
      bool throughCaller =
          !obs.lock.key.empty() && (obs.lock.key[0] == 'P' || obs.lock.key[0] == 'T');
      if (!names.empty())
        waited_.insert(names.begin(), names.end());
      else if (!throughCaller)
        // A lock reached through a pointer whose target is unknown can be any lock of its type.
        waitedTypes_.insert(obs.lock.typeName);
      return;
    }
    if (obs.kind == ObservationKind::BlockingUnderLock)
      pending_.push_back(obs);
  }

  void finish(std::vector<Finding>& out) override {
    for (const Observation& obs : pending_) {
      std::vector<size_t> kept;
      for (size_t i = 0; i < obs.held.size(); ++i)
        if (mayBeWaitedFor(obs.held[i]))
          kept.push_back(i);
      if (kept.empty())
        continue;
      std::string names;
      for (size_t n = 0; n < kept.size(); ++n) {
        if (n)
          names += n + 1 == kept.size() ? " and " : ", ";
        names += quoted(obs.held[kept[n]].display);
      }
      Observation shown = obs;
      size_t first = kept.front();
      shown.lock = obs.held[first];
      shown.previous = first < obs.heldAt.size() ? obs.heldAt[first] : model::Loc{};
      shown.notes = first < obs.heldNotes.size() ? obs.heldNotes[first] : std::vector<PathNote>{};
      shown.notes.insert(shown.notes.end(), obs.notes.begin(), obs.notes.end());
      std::string msg = obs.viaCall ? "calling " + quoted(obs.what) +
                                          ", which can block, while holding " + names
                                    : quoted(obs.what) + " can block while holding " + names;
      if (shown.previous.valid())
        msg += " (locked" + atLine(shown.previous) + ")";
      out.push_back(makeFinding(shown, id(), std::move(msg)));
    }
  }

private:
  // Every name the lock goes by: its node, and its declaration, by which a function that
  // reaches it through a pointer (a struct's mutex, a local whose address a thread receives)
  // names it.
  static std::vector<std::string> identities(const model::ObjRef& ref) {
    std::vector<std::string> out;
    for (const std::string& n : {lockNode(ref), ref.declKey, ref.orderKey})
      if (!n.empty())
        out.push_back(n);
    return out;
  }

  bool mayBeWaitedFor(const model::ObjRef& ref) const {
    std::vector<std::string> names = identities(ref);
    if (names.empty() || waitedTypes_.count(ref.typeName) || waitedTypes_.count(std::string()) ||
        (ref.typeName.empty() && !waitedTypes_.empty()))
      return true;
    for (const std::string& n : names)
      if (waited_.count(n))
        return true;
    return false;
  }

  std::set<std::string> waited_;      // nodes some code acquires with a waiting acquisition
  std::set<std::string> waitedTypes_; // types of locks acquired through unknown pointers
  std::vector<Observation> pending_;
};

} // namespace

std::unique_ptr<ModelCheck> createBlockingUnderLockCheck() {
  return std::make_unique<BlockingUnderLockCheck>();
}

} // namespace threadcheck::checkers
