#include "common/ExitCodes.h"
#include "common/Subcommands.h"

#include <cstdio>

int threadcheck::runMain(int, char**) {
  std::fputs("threadcheck run: not built yet\n", stderr);
  return kExitError;
}

int threadcheck::replayMain(int, char**) {
  std::fputs("threadcheck replay: not built yet\n", stderr);
  return kExitError;
}
