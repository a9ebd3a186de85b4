#include "threadcheck/checkers/Facts.h"

#include "engine/Model.h"

namespace threadcheck::checkers {

TranslationUnitFacts::TranslationUnitFacts() = default;
TranslationUnitFacts::~TranslationUnitFacts() = default;
TranslationUnitFacts::TranslationUnitFacts(TranslationUnitFacts&&) noexcept = default;
TranslationUnitFacts& TranslationUnitFacts::operator=(TranslationUnitFacts&&) noexcept = default;

} // namespace threadcheck::checkers
