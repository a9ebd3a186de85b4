// One `threadcheck run` exploration as the subcommands use it: the program explored, every
// failing schedule saved to a file before anything is printed, the findings symbolised. Shared by
// the single-program mode and `--gtest`, which explores one test at a time.
#pragma once

#include "Explorer.h"

#include <string>

namespace threadcheck::run {

struct Exploration {
  ExploreResult result;
  std::string saveError; // a schedule file could not be written; empty when all were
};

// Explores `o.argv`; failing schedules go to
// `outputDir/<fileBase, at most 80 chars>-<hash of argv>-<kind>-seed<seed>-<index>.json`.
// Shows a progress line on stderr while it runs when stderr is a terminal.
Exploration exploreAndSave(const ExploreOptions& o, const std::string& outputDir,
                           const std::string& fileBase);

// Creates `dir` and its parents; false when it cannot be made a directory.
bool makeDirectories(const std::string& dir);

// `s` reduced to characters that are safe in a file name.
std::string fileNamePart(const std::string& s);

} // namespace threadcheck::run
