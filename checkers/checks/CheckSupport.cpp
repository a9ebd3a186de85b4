#include "checks/Check.h"

namespace threadcheck::checkers {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Locks are ordered by declaration: every Account::mu is one node, so transferring between two
// accounts in both directions is a cycle. A global or static lock is a node of its own, and so is
// each constant element of a global array.
std::string lockNode(const model::ObjRef& ref) {
  bool symbolic = ref.key.empty() || ref.key[0] == 'P' || ref.key[0] == 'T' ||
                  ref.key.find('*') != std::string::npos || ref.key[0] == 'C';
  if (!symbolic)
    return ref.key;
  return ref.orderKey.empty() ? ref.declKey : ref.orderKey;
}

std::string atLine(const model::Loc& loc) {
  if (!loc.valid())
    return {};
  return " at line " + std::to_string(loc.line);
}

Finding makeFinding(const Observation& obs, std::string_view checkId, std::string message) {
  Finding f;
  f.checkId = std::string(checkId);
  f.loc = model::toLocation(obs.loc);
  f.message = std::move(message);
  f.function = obs.function ? obs.function->name : std::string();
  for (const PathNote& n : obs.notes) {
    // The primary location speaks for itself; a note there would only repeat it.
    if (n.loc == obs.loc)
      continue;
    Note note;
    note.loc = model::toLocation(n.loc);
    note.message = n.message;
    f.notes.push_back(std::move(note));
  }
  return f;
}

} // namespace threadcheck::checkers
