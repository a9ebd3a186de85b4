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

// Makes the input files and include paths (-I, -isystem, -include, --sysroot, ...) absolute
// against `directory`, the command's working directory. Units are parsed in parallel without
// changing the process's working directory, and the file names Clang reports are spelled as
// these arguments are: absolute ones mean the same file whatever the process's cwd.
std::vector<std::string> absolutizePaths(const std::vector<std::string>& commandLine,
                                         const std::string& directory);

// All of the above: absolute paths, unknown flags dropped, warnings off, resource dir pinned,
// syntax only.
std::vector<std::string> adjustCommandLine(const std::vector<std::string>& commandLine,
                                           const std::string& resourceDir,
                                           const std::string& directory);

clang::tooling::ArgumentsAdjuster makeCommandLineAdjuster(std::string resourceDir,
                                                          std::string directory);

} // namespace threadcheck::check
