#include "threadcheck/checkers/Finding.h"

#include <algorithm>
#include <tuple>

namespace threadcheck::checkers {

void sortAndDeduplicate(std::vector<Finding>& findings) {
  auto key = [](const Finding& f) { return std::tie(f.loc, f.checkId, f.message); };
  std::sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const Finding& a, const Finding& b) { return key(a) == key(b); }),
                 findings.end());
}

} // namespace threadcheck::checkers
