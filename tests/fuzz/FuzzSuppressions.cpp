// libFuzzer target: a `threadcheck run --suppressions` file (parseSuppressions, which
// readSuppressions calls on the file's text).
#include "FuzzSupport.h"
#include "Suppressions.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string name = "fuzz.supp";
  std::vector<threadcheck::run::Suppression> suppressions;
  std::string error = threadcheck::run::parseSuppressions(
      std::string(reinterpret_cast<const char*>(data), size), name, suppressions);
  if (!error.empty())
    threadcheck::fuzz::checkOneLineError(error, name);
  return 0;
}
