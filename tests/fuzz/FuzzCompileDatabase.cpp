// libFuzzer target: compile_commands.json as `threadcheck check` reads it (parseJsonDatabase), then
// what it does with every command before Clang sees one: the choice of units, the C-family filter
// and the command-line adjustments.
#include "FuzzSupport.h"
#include "check/CommandLineAdjuster.h"
#include "check/CompileDatabase.h"

#include <cstdint>

using namespace threadcheck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string name = "compile_commands.json";
  llvm::StringRef text(reinterpret_cast<const char*>(data), size);
  auto db = check::parseJsonDatabase(text, name);
  if (!db) {
    fuzz::checkOneLineError(llvm::toString(db.takeError()), name);
    return 0;
  }
  auto units = check::selectTranslationUnits(*db, {}, {}, "/fuzz/cwd");
  if (!units) {
    fuzz::checkOneLineError(llvm::toString(units.takeError()), name);
    return 0;
  }
  check::dropNonCFamily(*units);
  for (const clang::tooling::CompileCommand& unit : *units)
    check::adjustCommandLine(unit.CommandLine, "/fuzz/resource-dir", unit.Directory);
  return 0;
}
