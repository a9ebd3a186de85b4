// Where the compile commands come from: compile_commands.json (given with -p or found by searching
// upward from the cwd) or a fixed command line after "--", and which translation units to analyse.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>
#include <llvm/Support/Error.h>
#include <memory>
#include <string>
#include <vector>

namespace threadcheck::check {

// The compile_commands.json to use. With `buildPath`, that directory's file (or `buildPath`
// itself when it names the file); else the first of <dir>/compile_commands.json and
// <dir>/build/compile_commands.json for <dir> = `cwd` and each of its parents.
llvm::Expected<std::string> locateCompileCommands(const std::optional<std::string>& buildPath,
                                                  const std::string& cwd);

struct LoadedDatabase {
  std::unique_ptr<clang::tooling::CompilationDatabase> database;
  std::string description; // the json path, or "the command line after '--'"
  bool fixed = false;
};

llvm::Expected<LoadedDatabase> loadJsonDatabase(const std::string& jsonPath);
// The same for the text of a database; `name` stands for the file in errors and descriptions.
llvm::Expected<LoadedDatabase> parseJsonDatabase(llvm::StringRef text, const std::string& name);
LoadedDatabase makeFixedDatabase(const std::string& cwd, const std::vector<std::string>& args);

// One compile command per translation unit to analyse, with absolute file names. Explicit
// `sources` must exist and be in the database; without them every file of the database is
// analysed once (its first command), in database order. `extraArgs` are added to each command.
llvm::Expected<std::vector<clang::tooling::CompileCommand>>
selectTranslationUnits(const LoadedDatabase& db, const std::vector<std::string>& sources,
                       const std::vector<std::string>& extraArgs, const std::string& cwd);

// Whether a compile command compiles C, C++ or Objective-C (what Clang parses), judged as the
// driver does: by a `-x <language>` option, else by the file's extension. Assembly (.s, .S),
// Fortran, CUDA and anything else are not.
bool isCFamilyCommand(const clang::tooling::CompileCommand& cmd);

// Removes the commands that are not C-family (isCFamilyCommand) and returns their files, in
// order: clang-tidy skips such database entries too, and parsing them would only fail.
std::vector<std::string> dropNonCFamily(std::vector<clang::tooling::CompileCommand>& units);

} // namespace threadcheck::check
