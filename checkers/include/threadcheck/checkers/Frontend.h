// The Clang side: a FrontendAction that turns one parsed translation unit into TranslationUnitFacts.
#pragma once

#include "threadcheck/checkers/CheckRegistry.h"
#include "threadcheck/checkers/Facts.h"

#include <memory>

namespace clang {
class FrontendAction;
} // namespace clang

namespace threadcheck::checkers {

// The action fills `out` when the translation unit has been parsed. Only code outside system
// headers is modelled. The filter must outlive the action.
std::unique_ptr<clang::FrontendAction> createFactsAction(TranslationUnitFacts& out,
                                                         const CheckFilter& filter);

} // namespace threadcheck::checkers
