#include "checks/WaitedLocks.h"

#include <vector>

namespace threadcheck::checkers {
namespace {

// Every name the lock goes by: its node, and its declaration, by which a function that reaches
// it through a pointer (a struct's mutex, a local whose address a thread receives) names it.
std::vector<std::string> identities(const model::ObjRef& ref) {
  std::vector<std::string> out;
  for (const std::string& n : {lockNode(ref), ref.declKey, ref.orderKey})
    if (!n.empty())
      out.push_back(n);
  return out;
}

} // namespace

void WaitedLocks::note(const Observation& obs) {
  if (obs.kind != ObservationKind::Acquired)
    return;
  std::vector<std::string> names = identities(obs.lock);
  bool throughCaller = !obs.lock.key.empty() && (obs.lock.key[0] == 'P' || obs.lock.key[0] == 'T');
  if (!names.empty())
    waited_.insert(names.begin(), names.end());
  else if (!throughCaller)
    // A lock reached through a pointer whose target is unknown can be any lock of its type.
    waitedTypes_.insert(obs.lock.typeName);
}

bool WaitedLocks::mayBeWaitedFor(const model::ObjRef& ref) const {
  std::vector<std::string> names = identities(ref);
  if (names.empty() || waitedTypes_.count(ref.typeName) || waitedTypes_.count(std::string()) ||
      (ref.typeName.empty() && !waitedTypes_.empty()))
    return true;
  for (const std::string& n : names)
    if (waited_.count(n))
      return true;
  return false;
}

std::optional<Finding> WaitedLocks::finding(const Observation& obs,
                                            std::string_view checkId) const {
  std::vector<size_t> kept;
  for (size_t i = 0; i < obs.held.size(); ++i)
    if (mayBeWaitedFor(obs.held[i]))
      kept.push_back(i);
  if (kept.empty())
    return std::nullopt;
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
  std::string msg = obs.viaCall ? "calling " + quoted(obs.what) + ", which " +
                                      (obs.sleep ? "sleeps" : "can block") + ", while holding " +
                                      names
                                : quoted(obs.what) + (obs.sleep ? " sleeps" : " can block") +
                                      " while holding " + names;
  if (shown.previous.valid())
    msg += " (locked" + atLine(shown.previous) + ")";
  return makeFinding(shown, checkId, std::move(msg));
}

} // namespace threadcheck::checkers
