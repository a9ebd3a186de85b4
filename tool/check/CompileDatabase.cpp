#include "check/CompileDatabase.h"

#include "report/Paths.h"

#include <algorithm>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <set>

namespace threadcheck::check {
namespace {

constexpr const char* kDatabaseName = "compile_commands.json";

llvm::Error inputError(const llvm::Twine& message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string join(llvm::StringRef dir, llvm::StringRef name) {
  llvm::SmallString<256> p(dir);
  llvm::sys::path::append(p, name);
  return std::string(p);
}

// Inserts the arguments before a "--" that separates the inputs, else at the end, so that
// they are read as options and not as file names.
void addArguments(std::vector<std::string>& commandLine, const std::vector<std::string>& extra) {
  auto dashDash = std::find(commandLine.begin(), commandLine.end(), "--");
  commandLine.insert(dashDash, extra.begin(), extra.end());
}

} // namespace

llvm::Expected<std::string> locateCompileCommands(const std::optional<std::string>& buildPath,
                                                  const std::string& cwd) {
  if (buildPath) {
    std::string dir = report::normalizePath(*buildPath, cwd);
    if (llvm::sys::fs::is_regular_file(dir))
      return dir;
    if (!llvm::sys::fs::is_directory(dir))
      return inputError(*buildPath + ": no such build directory");
    std::string file = join(dir, kDatabaseName);
    if (!llvm::sys::fs::exists(file))
      return inputError(*buildPath + ": no compile_commands.json in this directory");
    return file;
  }
  for (llvm::StringRef dir = cwd; !dir.empty(); dir = llvm::sys::path::parent_path(dir)) {
    for (std::string candidate :
         {join(dir, kDatabaseName), join(join(dir, "build"), kDatabaseName)})
      if (llvm::sys::fs::exists(candidate))
        return candidate;
  }
  return inputError("no compile_commands.json in " + cwd +
                    ", its parent directories or their build/ subdirectories "
                    "(use -p <build-dir>, or '-- <compiler args>' with the sources)");
}

llvm::Expected<LoadedDatabase> loadJsonDatabase(const std::string& jsonPath) {
  // JSONCompilationDatabase's YAML parser prints syntax errors straight to stderr; check the
  // syntax first so that a malformed file gets one clear line.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(jsonPath, /*IsText=*/true);
  if (!buf)
    return inputError(jsonPath + ": cannot read: " + buf.getError().message());
  if (llvm::Expected<llvm::json::Value> parsed = llvm::json::parse((*buf)->getBuffer()); !parsed)
    return inputError(jsonPath +
                      ": malformed compilation database: " + llvm::toString(parsed.takeError()));
  std::string error;
  std::unique_ptr<clang::tooling::JSONCompilationDatabase> db =
      clang::tooling::JSONCompilationDatabase::loadFromFile(
          jsonPath, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!db) {
    llvm::StringRef why(error);
    why = why.rtrim(". \n");
    return inputError(jsonPath + ": malformed compilation database: " + why);
  }
  return LoadedDatabase{std::move(db), jsonPath, false};
}

LoadedDatabase makeFixedDatabase(const std::string& cwd, const std::vector<std::string>& args) {
  return {std::make_unique<clang::tooling::FixedCompilationDatabase>(cwd, args),
          "the command line after '--'", true};
}

llvm::Expected<std::vector<clang::tooling::CompileCommand>>
selectTranslationUnits(const LoadedDatabase& db, const std::vector<std::string>& sources,
                       const std::vector<std::string>& extraArgs, const std::string& cwd) {
  std::vector<clang::tooling::CompileCommand> units;
  std::set<std::string> seen;
  auto add = [&](clang::tooling::CompileCommand cmd, const std::string& absFile) {
    if (!seen.insert(absFile).second)
      return;
    cmd.Filename = absFile;
    addArguments(cmd.CommandLine, extraArgs);
    units.push_back(std::move(cmd));
  };

  if (sources.empty()) {
    if (db.fixed)
      return inputError("no source files given: with '-- <compiler args>' and no -p, name the "
                        "sources to analyse before the '--'");
    for (clang::tooling::CompileCommand& cmd : db.database->getAllCompileCommands()) {
      std::string file =
          report::normalizePath(cmd.Filename, report::normalizePath(cmd.Directory, cwd));
      add(std::move(cmd), file);
    }
    if (units.empty())
      return inputError(db.description + ": the compilation database has no entries");
    return units;
  }

  for (const std::string& source : sources) {
    std::string abs = report::normalizePath(source, cwd);
    if (llvm::sys::fs::is_directory(abs))
      return inputError(source + ": is a directory, not a source file");
    if (!llvm::sys::fs::exists(abs))
      return inputError(source + ": no such file");
    std::vector<clang::tooling::CompileCommand> cmds = db.database->getCompileCommands(abs);
    if (cmds.empty())
      return inputError(source + ": not in the compilation database " + db.description);
    add(std::move(cmds.front()), abs);
  }
  return units;
}

} // namespace threadcheck::check
