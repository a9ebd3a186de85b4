// Turns a build's compile command into one clang can parse for analysis: flags clang does not
// know are dropped (a database written for g++ carries GCC-only ones), warnings are silenced
// (they are the build's business, and -Werror must not fail the analysis), clang's resource
// directory is pinned so builtin headers resolve wherever threadcheck runs, and nothing but
// parsing happens (-fsyntax-only, no output or dependency files).
#pragma once

#include <clang/Tooling/ArgumentsAdjusters.h>
#include <string>
#include <vector>

namespace threadcheck::check {

// Drops the arguments that clang's driver option table does not know (OPT_UNKNOWN). argv[0] is
// the compiler and is kept.
std::vector<std::string> dropUnknownFlags(const std::vector<std::string>& commandLine);

std::vector<std::string> adjustCommandLine(const std::vector<std::string>& commandLine,
                                           const std::string& resourceDir);

clang::tooling::ArgumentsAdjuster makeCommandLineAdjuster(std::string resourceDir);

} // namespace threadcheck::check
