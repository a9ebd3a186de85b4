#include "common/ExitCodes.h"
#include "common/Subcommands.h"

#include <cstdio>

int threadcheck::checkMain(int, char**) {
  std::fputs("threadcheck check: not built yet\n", stderr);
  return kExitError;
}
