// libFuzzer target: a --baseline file (parseBaseline, which readBaseline calls on the file's text).
#include "FuzzSupport.h"
#include "report/Baseline.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string name = "baseline.json";
  auto fingerprints = threadcheck::report::parseBaseline(
      llvm::StringRef(reinterpret_cast<const char*>(data), size), name);
  if (!fingerprints)
    threadcheck::fuzz::checkOneLineError(llvm::toString(fingerprints.takeError()), name);
  return 0;
}
