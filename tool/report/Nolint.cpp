#include "report/Nolint.h"

#include <cctype>
#include <llvm/Support/Error.h>
#include <llvm/Support/GlobPattern.h>

namespace threadcheck::report {
namespace {

enum class MarkerKind { SameLine, NextLine, Begin, End };

struct Marker {
  MarkerKind kind;
  std::optional<std::string> checks; // nullopt: every check
};

bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// Every marker on one line, in order.
std::vector<Marker> parseMarkers(std::string_view line) {
  std::vector<Marker> markers;
  static constexpr std::string_view kNolint = "NOLINT";
  size_t pos = 0;
  while ((pos = line.find(kNolint, pos)) != std::string_view::npos) {
    size_t p = pos + kNolint.size();
    // "FOO_NOLINT" or "XNOLINT" is someone's identifier, not a marker.
    bool standalone = pos == 0 || !isIdentChar(line[pos - 1]);
    MarkerKind kind = MarkerKind::SameLine;
    for (auto [suffix, k] : {std::pair{std::string_view("NEXTLINE"), MarkerKind::NextLine},
                             std::pair{std::string_view("BEGIN"), MarkerKind::Begin},
                             std::pair{std::string_view("END"), MarkerKind::End}}) {
      if (line.substr(p).starts_with(suffix)) {
        kind = k;
        p += suffix.size();
        break;
      }
    }
    standalone = standalone && (p == line.size() || !isIdentChar(line[p]));
    if (!standalone) {
      pos = p;
      continue;
    }
    Marker m{kind, std::nullopt};
    // As in clang-tidy, "NOLINT(" without its ")" applies to every check.
    if (p < line.size() && line[p] == '(') {
      size_t close = line.find(')', p + 1);
      if (close != std::string_view::npos) {
        m.checks = std::string(trim(line.substr(p + 1, close - p - 1)));
        p = close + 1;
      }
    }
    markers.push_back(std::move(m));
    pos = p;
  }
  return markers;
}

} // namespace

bool nolintListMatches(std::string_view checks, std::string_view checkId) {
  bool selected = false;
  while (true) {
    size_t comma = checks.find(',');
    std::string_view glob = trim(checks.substr(0, comma));
    bool positive = true;
    if (glob.starts_with('-')) {
      positive = false;
      glob = trim(glob.substr(1));
    }
    if (glob.starts_with("threadcheck-"))
      glob.remove_prefix(std::string_view("threadcheck-").size());
    if (!glob.empty()) {
      llvm::Expected<llvm::GlobPattern> pattern = llvm::GlobPattern::create(glob);
      if (!pattern)
        llvm::consumeError(pattern.takeError()); // a malformed glob selects nothing
      else if (pattern->match(checkId))
        selected = positive;
    }
    if (comma == std::string_view::npos)
      break;
    checks.remove_prefix(comma + 1);
  }
  return selected;
}

NolintIndex::NolintIndex(const std::vector<std::string>& lines) {
  struct OpenBegin {
    unsigned line;
    std::optional<std::string> checks;
  };
  std::vector<OpenBegin> open;
  for (unsigned i = 0; i < lines.size(); ++i) {
    unsigned lineNo = i + 1;
    for (Marker& m : parseMarkers(lines[i])) {
      switch (m.kind) {
      case MarkerKind::SameLine:
        ranges_.push_back({lineNo, lineNo, std::move(m.checks)});
        break;
      case MarkerKind::NextLine:
        ranges_.push_back({lineNo + 1, lineNo + 1, std::move(m.checks)});
        break;
      case MarkerKind::Begin:
        open.push_back({lineNo, std::move(m.checks)});
        break;
      case MarkerKind::End:
        // clang-tidy pairs an END with the innermost BEGIN that names the same checks; an
        // unmatched BEGIN or END suppresses nothing.
        for (size_t j = open.size(); j-- > 0;) {
          if (open[j].checks == m.checks) {
            ranges_.push_back({open[j].line, lineNo, std::move(open[j].checks)});
            open.erase(open.begin() + static_cast<std::ptrdiff_t>(j));
            break;
          }
        }
        break;
      }
    }
  }
}

bool NolintIndex::suppresses(unsigned line, std::string_view checkId) const {
  for (const Range& r : ranges_)
    if (line >= r.first && line <= r.last && (!r.checks || nolintListMatches(*r.checks, checkId)))
      return true;
  return false;
}

bool Suppressions::suppressed(const checkers::Finding& finding) {
  auto it = indexes_.find(finding.loc.file);
  if (it == indexes_.end()) {
    static const std::vector<std::string> kNoLines;
    const std::vector<std::string>* lines = files_.lines(finding.loc.file);
    it = indexes_.emplace(finding.loc.file, NolintIndex(lines ? *lines : kNoLines)).first;
  }
  return it->second.suppresses(finding.loc.line, finding.checkId);
}

} // namespace threadcheck::report
