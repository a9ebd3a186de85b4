#include "common/ExitCodes.h"
#include "common/Subcommands.h"

#include <cstdio>
#include <cstring>

namespace {

constexpr const char* kUsage =
    "usage: threadcheck <command> [options]\n"
    "\n"
    "commands:\n"
    "  check    find threading misuse in C and C++ sources (static analysis)\n"
    "  run      run a program under the controlled scheduler and explore interleavings\n"
    "  replay   re-run one saved schedule exactly\n"
    "  cc, c++  compile and link instrumented for 'threadcheck run' (CC=\"threadcheck cc\")\n"
    "\n"
    "'threadcheck <command> --help' describes a command's options.\n";

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return threadcheck::kExitError;
  }
  const char* cmd = argv[1];
  if (!std::strcmp(cmd, "--help") || !std::strcmp(cmd, "-h") || !std::strcmp(cmd, "help")) {
    std::fputs(kUsage, stdout);
    return threadcheck::kExitClean;
  }
  if (!std::strcmp(cmd, "--version")) {
    std::printf("threadcheck %s\n", THREADCHECK_VERSION);
    return threadcheck::kExitClean;
  }
  if (!std::strcmp(cmd, "check"))
    return threadcheck::checkMain(argc - 1, argv + 1);
  if (!std::strcmp(cmd, "run"))
    return threadcheck::runMain(argc - 1, argv + 1);
  if (!std::strcmp(cmd, "replay"))
    return threadcheck::replayMain(argc - 1, argv + 1);
  if (!std::strcmp(cmd, "cc"))
    return threadcheck::ccMain(argc - 1, argv + 1);
  if (!std::strcmp(cmd, "c++"))
    return threadcheck::cxxMain(argc - 1, argv + 1);
  std::fprintf(stderr, "threadcheck: unknown command '%s'\n%s", cmd, kUsage);
  return threadcheck::kExitError;
}
