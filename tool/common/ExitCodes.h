// The exit-code contract shared by every subcommand (DESIGN.md section 2).
#pragma once

namespace threadcheck {

enum ExitCode : int {
  kExitClean = 0,   // nothing found
  kExitFinding = 1, // at least one finding was reported
  kExitError = 2,   // usage error, bad input or internal failure
};

} // namespace threadcheck
