// Every check threadcheck knows, and the clang-tidy style glob filter that selects among them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace threadcheck::checkers {

struct CheckInfo {
  std::string id;
  std::string description; // one line, for --list-checks and SARIF rules
  // Off by default: reports that are true but rarely worth fixing in most projects run only when
  // a --checks glob names them (or '*'), as clang-tidy's opt-in checks do.
  bool onByDefault = true;
};

// All checks in a stable order (sorted by id).
const std::vector<CheckInfo>& allChecks();
const CheckInfo* findCheck(std::string_view id);

// "--checks=*,-blocking-under-lock": comma-separated globs, '-' disables, later globs win.
class CheckFilter {
public:
  // The default set: every check that is on by default.
  CheckFilter();
  // Every check, those off by default included (facts cached for any later --checks).
  static CheckFilter everything();
  // Returns an error message naming the offending glob when one matches no check.
  static std::optional<CheckFilter> parse(std::string_view globs, std::string& error);

  bool enabled(std::string_view id) const;
  std::vector<std::string> enabledIds() const;

private:
  struct Glob {
    std::string pattern;
    bool positive;
  };
  std::vector<Glob> globs_;
};

} // namespace threadcheck::checkers
