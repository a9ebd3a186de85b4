#include "threadcheck/checkers/Analysis.h"

#include "engine/Model.h"

namespace threadcheck::checkers {

std::vector<Finding> analyzeProgram(const std::vector<TranslationUnitFacts>& units,
                                    const CheckFilter& filter) {
  std::vector<Finding> all;
  for (const TranslationUnitFacts& u : units)
    for (const Finding& f : u.localFindings)
      if (filter.enabled(f.checkId))
        all.push_back(f);
  sortAndDeduplicate(all);
  return all;
}

} // namespace threadcheck::checkers
