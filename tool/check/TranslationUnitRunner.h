// Parses translation units in parallel, one ClangTool (and so one CompilerInstance and
// FileManager) per unit so that no Clang state is shared between threads, and collects each
// unit's facts for the whole-program analysis.
#pragma once

#include "threadcheck/checkers/CheckRegistry.h"
#include "threadcheck/checkers/Facts.h"

#include <atomic>
#include <clang/Tooling/CompilationDatabase.h>
#include <functional>
#include <string>
#include <vector>

namespace threadcheck::check {

class FactsCache;

struct UnitResult {
  checkers::TranslationUnitFacts facts;
  bool ok = false;
  // Clang's diagnostics for this unit, formatted as clang prints them (errors only: warnings
  // are turned off).
  std::string diagnostics;
  // One line for reports when !ok: the first error, or why the unit could not be started.
  std::string failure;
  bool fromCache = false; // the facts came from --cache-dir; the unit was not parsed
  bool interrupted = false; // not started because RunOptions::stop was set
};

struct RunOptions {
  unsigned jobs = 1;
  std::string resourceDir;
  bool colorDiagnostics = false;
  // Units whose entry is current are not parsed; units that parse cleanly are stored.
  FactsCache* cache = nullptr;
  // Set (from a signal handler) to stop: units not yet started are not analysed, with
  // `interrupted` set; units being parsed finish.
  const std::atomic<bool>* stop = nullptr;
};

// Results are in the order of `units`, whatever order the threads finish in. `onDone` is called
// (serialised, from the worker threads) as each unit finishes, to stream its diagnostics.
std::vector<UnitResult>
runTranslationUnits(const std::vector<clang::tooling::CompileCommand>& units,
                    const checkers::CheckFilter& filter, const RunOptions& options,
                    const std::function<void(size_t, const UnitResult&)>& onDone);

} // namespace threadcheck::check
