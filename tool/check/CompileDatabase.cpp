#include "check/CompileDatabase.h"

#include "common/JsonNesting.h"
#include "common/Printable.h"
#include "report/Paths.h"

#include <algorithm>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <optional>
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

// The languages of `-x` that Clang's C-family front end parses.
bool isCFamilyLanguage(llvm::StringRef lang) {
  lang.consume_back("-header");
  lang.consume_back("-cpp-output");
  lang.consume_back("-module");
  return lang == "c" || lang == "c++" || lang == "objective-c" || lang == "objective-c++" ||
         lang == "c++-system" || lang == "c++-user";
}

// What is wrong with the shape of a parsed database, naming the entry: Clang's loader reads a
// number where a string belongs as that number's text ("file": 5 becomes a file named 5), and
// its own messages name no entry.
std::optional<std::string> schemaError(const llvm::json::Value& root) {
  const llvm::json::Array* entries = root.getAsArray();
  if (!entries)
    return std::string("expected a JSON array of compile commands");
  for (size_t i = 0; i < entries->size(); ++i) {
    std::string where = "entry " + std::to_string(i) + ": ";
    const llvm::json::Object* entry = (*entries)[i].getAsObject();
    if (!entry)
      return where + "expected an object";
    for (const char* key : {"directory", "file"}) {
      const llvm::json::Value* v = entry->get(key);
      if (!v)
        return where + "missing \"" + key + "\"";
      if (!v->getAsString())
        return where + "\"" + key + "\" is not a string";
    }
    for (const char* key : {"command", "output"})
      if (const llvm::json::Value* v = entry->get(key); v && !v->getAsString())
        return where + "\"" + key + "\" is not a string";
    const llvm::json::Value* arguments = entry->get("arguments");
    if (arguments) {
      const llvm::json::Array* args = arguments->getAsArray();
      if (!args)
        return where + "\"arguments\" is not an array";
      for (size_t a = 0; a < args->size(); ++a)
        if (!(*args)[a].getAsString())
          return where + "argument " + std::to_string(a) + " is not a string";
    }
    if (!arguments && !entry->get("command"))
      return where + "neither \"command\" nor \"arguments\"";
  }
  return std::nullopt;
}

} // namespace

bool isCFamilyCommand(const clang::tooling::CompileCommand& cmd) {
  // The last -x before the file decides, as for the driver.
  std::optional<std::string> language;
  const std::vector<std::string>& args = cmd.CommandLine;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef a = args[i];
    if (a == "--")
      break;
    if (a == "-x" && i + 1 < args.size())
      language = args[++i];
    else if (a.starts_with("-x") && a.size() > 2 && a != "-xarch")
      language = a.drop_front(2).str();
  }
  if (language && *language != "none")
    return isCFamilyLanguage(*language);
  llvm::StringRef ext = llvm::sys::path::extension(cmd.Filename);
  ext.consume_front(".");
  static const std::set<std::string> kCFamily = {
      "c", "i",  "cc", "cp", "cpp", "cxx", "c++", "C",   "CC",  "CPP", "CXX", "ii",  "cppm", "ixx",
      "m", "mm", "M",  "mi", "mii", "h",   "hh",  "hpp", "hxx", "h++", "H",   "inl", "ipp",  "tcc"};
  return kCFamily.count(ext.str()) > 0;
}

std::vector<std::string> dropNonCFamily(std::vector<clang::tooling::CompileCommand>& units) {
  std::vector<std::string> skipped;
  std::erase_if(units, [&](const clang::tooling::CompileCommand& cmd) {
    if (isCFamilyCommand(cmd))
      return false;
    skipped.push_back(cmd.Filename);
    return true;
  });
  return skipped;
}

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
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(jsonPath, /*IsText=*/true);
  if (!buf)
    return inputError(jsonPath + ": cannot read: " + buf.getError().message());
  return parseJsonDatabase((*buf)->getBuffer(), jsonPath);
}

llvm::Expected<LoadedDatabase> parseJsonDatabase(llvm::StringRef text, const std::string& name) {
  // JSONCompilationDatabase's YAML parser prints syntax errors straight to stderr; check the
  // syntax first so that a malformed file gets one clear line.
  if (std::optional<std::string> deep = jsonNestingError(text))
    return inputError(name + ": malformed compilation database: " + *deep);
  {
    // Scoped: the parsed copy is gone before Clang's loader builds its own.
    llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
    if (!parsed)
      return inputError(name +
                        ": malformed compilation database: " + llvm::toString(parsed.takeError()));
    if (std::optional<std::string> wrong = schemaError(*parsed))
      return inputError(name + ": malformed compilation database: " + *wrong);
  }
  std::string error;
  std::unique_ptr<clang::tooling::JSONCompilationDatabase> db =
      clang::tooling::JSONCompilationDatabase::loadFromBuffer(
          text, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!db) {
    // Clang's message may quote the file ("Unknown key: ..."): escaped, so it stays one line.
    llvm::StringRef why(error);
    why = why.rtrim(". \n");
    return inputError(name + ": malformed compilation database: " + printableExcerpt(why, 200));
  }
  return LoadedDatabase{std::move(db), name, false};
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
