#include "check/CommandLineAdjuster.h"

#include <algorithm>
#include <clang/Driver/Options.h>
#include <functional>
#include <llvm/ADT/SmallString.h>
#include <llvm/Option/ArgList.h>
#include <llvm/Option/OptTable.h>
#include <llvm/Support/Path.h>
#include <set>

namespace threadcheck::check {
namespace {

// clang-cl takes MSVC style flags ("/W4") that the GCC-style table would call unknown; its
// databases are passed through unfiltered.
bool isClangClMode(const std::vector<std::string>& commandLine) {
  llvm::StringRef stem = llvm::sys::path::stem(commandLine.front());
  if (stem.equals_insensitive("cl") || stem.ends_with_insensitive("clang-cl"))
    return true;
  return std::any_of(commandLine.begin(), commandLine.end(),
                     [](const std::string& a) { return a == "--driver-mode=cl"; });
}

bool hasResourceDir(const std::vector<std::string>& commandLine) {
  return std::any_of(commandLine.begin(), commandLine.end(), [](const std::string& a) {
    return a == "-resource-dir" || a.starts_with("-resource-dir=");
  });
}

} // namespace

std::vector<std::string> dropUnknownFlags(const std::vector<std::string>& commandLine) {
  if (commandLine.size() < 2 || isClangClMode(commandLine))
    return commandLine;
  std::vector<const char*> args;
  for (size_t i = 1; i < commandLine.size(); ++i)
    args.push_back(commandLine[i].c_str());
  unsigned missingIndex = 0, missingCount = 0;
  llvm::opt::InputArgList parsed = clang::driver::getDriverOptTable().ParseArgs(
      args, missingIndex, missingCount, llvm::opt::Visibility(clang::driver::options::ClangOption));
  std::set<unsigned> unknown;
  for (const llvm::opt::Arg* a : parsed.filtered(clang::driver::options::OPT_UNKNOWN))
    unknown.insert(a->getIndex());
  std::vector<std::string> kept{commandLine.front()};
  for (unsigned i = 0; i < args.size(); ++i)
    if (!unknown.count(i))
      kept.push_back(commandLine[i + 1]);
  return kept;
}

std::vector<std::string> absolutizePaths(const std::vector<std::string>& commandLine,
                                         const std::string& directory) {
  if (commandLine.size() < 2 || directory.empty() || isClangClMode(commandLine))
    return commandLine;
  namespace opts = clang::driver::options;
  static const std::set<unsigned> kPathOptions = {
      opts::OPT_INPUT,       opts::OPT_I,        opts::OPT_isystem,    opts::OPT_iquote,
      opts::OPT_idirafter,   opts::OPT_include,  opts::OPT_imacros,    opts::OPT_isysroot,
      opts::OPT__sysroot_EQ, opts::OPT__sysroot, opts::OPT_cxx_isystem};
  std::vector<const char*> args;
  for (size_t i = 1; i < commandLine.size(); ++i)
    args.push_back(commandLine[i].c_str());
  unsigned missingIndex = 0, missingCount = 0;
  llvm::opt::InputArgList parsed = clang::driver::getDriverOptTable().ParseArgs(
      args, missingIndex, missingCount, llvm::opt::Visibility(opts::ClangOption));
  std::vector<std::string> out = commandLine;
  auto absolute = [&](llvm::StringRef value) {
    llvm::SmallString<256> abs(directory);
    llvm::sys::path::append(abs, value);
    llvm::sys::path::remove_dots(abs, /*remove_dot_dot=*/false);
    return std::string(abs);
  };
  for (const llvm::opt::Arg* a : parsed) {
    unsigned id = a->getOption().getID();
    // Inputs after "--" are the values of one argument, one token each.
    bool inputsAfterDashDash = id == opts::OPT__DASH_DASH;
    if (!inputsAfterDashDash && (!kPathOptions.count(id) || a->getNumValues() != 1))
      continue;
    for (const char* v : a->getValues()) {
      llvm::StringRef value(v);
      if (value.empty() || value == "-" || llvm::sys::path::is_absolute(value))
        continue;
      // The value is a whole argument ("-I" "inc", an input) or the tail of one ("-Iinc"); the
      // parser's pointers into `args` tell which.
      for (unsigned i = a->getIndex(); i < args.size(); ++i) {
        const char* begin = args[i];
        const char* end = begin + commandLine[i + 1].size();
        if (std::less_equal<const char*>()(begin, value.data()) &&
            value.data() + value.size() == end) {
          out[i + 1] = std::string(begin, value.data()) + absolute(value);
          break;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> adjustCommandLine(const std::vector<std::string>& commandLine,
                                           const std::string& resourceDir,
                                           const std::string& directory) {
  if (commandLine.empty())
    return commandLine;
  std::vector<std::string> out = dropUnknownFlags(absolutizePaths(commandLine, directory));
  std::vector<std::string> extra = {"-w", "-Wno-unknown-warning-option"};
  if (!resourceDir.empty() && !hasResourceDir(out)) {
    extra.push_back("-resource-dir");
    extra.push_back(resourceDir);
  }
  // Before a "--" that ends the options, so they are not taken for input files.
  out.insert(std::find(out.begin(), out.end(), "--"), extra.begin(), extra.end());
  for (const clang::tooling::ArgumentsAdjuster& adjust :
       {clang::tooling::getClangStripOutputAdjuster(),
        clang::tooling::getClangStripDependencyFileAdjuster(),
        clang::tooling::getClangSyntaxOnlyAdjuster()})
    out = adjust(out, "");
  return out;
}

clang::tooling::ArgumentsAdjuster makeCommandLineAdjuster(std::string resourceDir,
                                                          std::string directory) {
  return [resourceDir = std::move(resourceDir), directory = std::move(directory)](
             const clang::tooling::CommandLineArguments& args, llvm::StringRef) {
    return adjustCommandLine(args, resourceDir, directory);
  };
}

} // namespace threadcheck::check
