// Entry points of the subcommands; argv[0] is the subcommand name.
#pragma once

namespace threadcheck {

int checkMain(int argc, char** argv);
int runMain(int argc, char** argv);
int replayMain(int argc, char** argv);
int ccMain(int argc, char** argv);
int cxxMain(int argc, char** argv);

} // namespace threadcheck
