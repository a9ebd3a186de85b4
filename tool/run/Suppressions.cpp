#include "Suppressions.h"

#include "common/Printable.h"

#include <cerrno>
#include <cstring>
#include <fnmatch.h>
#include <fstream>
#include <sstream>

namespace threadcheck::run {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool knownKind(const std::string& k) {
  for (const auto& name : findingKinds())
    if (name == k)
      return true;
  return false;
}

} // namespace

const std::vector<std::string>& findingKinds() {
  static const std::vector<std::string> kinds = {"deadlock",
                                                 "lost-wakeup",
                                                 "crash",
                                                 "assertion",
                                                 "exit-status",
                                                 "data-race",
                                                 "lock-misuse",
                                                 "lock-order-inversion",
                                                 "uncaught-exception",
                                                 "thread-leak",
                                                 "semaphore-over-release",
                                                 "livelock",
                                                 "timeout"};
  return kinds;
}

std::string parseKindList(const std::string& list, std::vector<std::string>& kinds) {
  size_t start = 0;
  for (;;) {
    size_t comma = list.find(',', start);
    std::string k = trim(list.substr(start, comma == std::string::npos ? comma : comma - start));
    if (k.empty())
      return "--ignore: empty finding kind in '" + list + "'";
    if (!knownKind(k))
      return "--ignore: unknown finding kind '" + k + "'";
    kinds.push_back(k);
    if (comma == std::string::npos)
      return "";
    start = comma + 1;
  }
}

std::string readSuppressions(const std::string& path, std::vector<Suppression>& out) {
  std::ifstream in(path);
  if (!in)
    return "cannot read suppressions file '" + path + "': " + strerror(errno);
  // Line by line, as parsed: a read error (a directory) sets badbit on `in` this way.
  std::string text, line;
  while (std::getline(in, line))
    text += line + '\n';
  if (in.bad())
    return "cannot read suppressions file '" + path + "': " + strerror(errno);
  return parseSuppressions(text, path, out);
}

std::string parseSuppressions(const std::string& text, const std::string& path,
                              std::vector<Suppression>& out) {
  std::istringstream in(text);
  std::string line;
  unsigned n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#')
      continue;
    std::string where = path + ":" + std::to_string(n) + ": ";
    size_t colon = t.find(':');
    if (colon == std::string::npos)
      return where + "expected 'kind:function-glob', not '" + printableExcerpt(t) + "'";
    Suppression s{trim(t.substr(0, colon)), trim(t.substr(colon + 1))};
    if (s.kind.empty() || s.glob.empty())
      return where + "expected 'kind:function-glob', not '" + printableExcerpt(t) + "'";
    if (!knownKind(s.kind))
      return where + "unknown finding kind '" + printableExcerpt(s.kind) + "'";
    out.push_back(s);
  }
  return "";
}

bool suppressed(const std::vector<Suppression>& sup, const Finding& f) {
  for (const auto& s : sup) {
    if (s.kind != f.kind)
      continue;
    for (const auto& t : f.threads)
      for (const auto& fr : t.stack)
        if ((!fr.function.empty() && fnmatch(s.glob.c_str(), fr.function.c_str(), 0) == 0) ||
            (!fr.file.empty() && fnmatch(s.glob.c_str(), fr.file.c_str(), 0) == 0))
          return true;
  }
  return false;
}

} // namespace threadcheck::run
