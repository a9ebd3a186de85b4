#include "checks/Check.h"

namespace threadcheck::checkers {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string baseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
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
