#include "check/CheckOptions.h"

#include "check/ShardFiles.h"

#include <charconv>
#include <string_view>

namespace threadcheck::check {
namespace {

constexpr unsigned kMaxJobs = 1024;

// Options that take a value, in both "--opt=value" and "--opt value" form (short ones also as
// "-j4" and "-j 4").
enum class ValueOption {
  BuildPath,
  Checks,
  Format,
  Output,
  Jobs,
  Baseline,
  WriteBaseline,
  ExportFixes,
  SourceRoot,
  CacheDir,
  Shard
};

std::optional<ValueOption> longValueOption(std::string_view name) {
  if (name == "--checks")
    return ValueOption::Checks;
  if (name == "--format")
    return ValueOption::Format;
  if (name == "--baseline")
    return ValueOption::Baseline;
  if (name == "--write-baseline")
    return ValueOption::WriteBaseline;
  if (name == "--export-fixes")
    return ValueOption::ExportFixes;
  if (name == "--source-root")
    return ValueOption::SourceRoot;
  if (name == "--cache-dir")
    return ValueOption::CacheDir;
  if (name == "--shard")
    return ValueOption::Shard;
  return std::nullopt;
}

std::optional<ValueOption> shortValueOption(char c) {
  switch (c) {
  case 'p':
    return ValueOption::BuildPath;
  case 'o':
    return ValueOption::Output;
  case 'j':
    return ValueOption::Jobs;
  default:
    return std::nullopt;
  }
}

// Returns an error message, or empty on success.
std::string apply(CheckOptions& o, ValueOption opt, std::string_view spelling,
                  std::string_view value) {
  if (value.empty())
    return std::string(spelling) + ": empty value";
  switch (opt) {
  case ValueOption::BuildPath:
    o.buildPath = std::string(value);
    break;
  case ValueOption::Checks:
    o.checks = std::string(value);
    break;
  case ValueOption::Format:
    if (value == "text")
      o.format = OutputFormat::Text;
    else if (value == "json")
      o.format = OutputFormat::Json;
    else if (value == "sarif")
      o.format = OutputFormat::Sarif;
    else
      return "unknown --format '" + std::string(value) + "' (expected text, sarif or json)";
    break;
  case ValueOption::Output:
    o.outputPath = std::string(value);
    break;
  case ValueOption::Jobs: {
    unsigned n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n == 0 || n > kMaxJobs)
      return "invalid -j value '" + std::string(value) + "' (expected a number from 1 to " +
             std::to_string(kMaxJobs) + ")";
    o.jobs = n;
    break;
  }
  case ValueOption::Baseline:
    o.baselinePath = std::string(value);
    break;
  case ValueOption::WriteBaseline:
    o.writeBaselinePath = std::string(value);
    break;
  case ValueOption::ExportFixes:
    o.exportFixesPath = std::string(value);
    break;
  case ValueOption::SourceRoot:
    o.sourceRoot = std::string(value);
    break;
  case ValueOption::CacheDir:
    o.cacheDir = std::string(value);
    break;
  case ValueOption::Shard: {
    std::string error;
    o.shard = parseShardSpec(value, error);
    if (!o.shard)
      return error;
    break;
  }
  }
  return {};
}

} // namespace

ParsedOptions parseCheckOptions(int argc, const char* const* argv) {
  CheckOptions o;
  auto fail = [](std::string message) { return ParsedOptions{std::nullopt, std::move(message)}; };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      o.hasCompilerArgs = true;
      o.compilerArgs.assign(argv + i + 1, argv + argc);
      break;
    }
    if (arg == "--help" || arg == "-h") {
      o.help = true;
      continue;
    }
    if (arg == "--list-checks") {
      o.listChecks = true;
      continue;
    }
    if (arg == "--fix") {
      o.fix = true;
      continue;
    }
    if (arg == "--merge") {
      o.merge = true;
      continue;
    }
    if (arg.starts_with("--")) {
      size_t eq = arg.find('=');
      std::string_view name = arg.substr(0, eq);
      std::optional<ValueOption> opt = longValueOption(name);
      if (!opt)
        return fail("unknown option '" + std::string(name) + "' (see 'threadcheck check --help')");
      std::string_view value;
      if (eq != std::string_view::npos) {
        value = arg.substr(eq + 1);
      } else {
        if (i + 1 >= argc)
          return fail(std::string(name) + ": missing value");
        value = argv[++i];
      }
      if (std::string error = apply(o, *opt, name, value); !error.empty())
        return fail(error);
      continue;
    }
    if (arg.starts_with("-") && arg.size() > 1) {
      std::optional<ValueOption> opt = shortValueOption(arg[1]);
      if (!opt)
        return fail("unknown option '" + std::string(arg) + "' (see 'threadcheck check --help')");
      std::string_view name = arg.substr(0, 2);
      std::string_view value = arg.substr(2);
      if (value.empty()) {
        if (i + 1 >= argc)
          return fail(std::string(name) + ": missing value");
        value = argv[++i];
      }
      if (std::string error = apply(o, *opt, name, value); !error.empty())
        return fail(error);
      continue;
    }
    if (arg == "-")
      return fail("reading a source from standard input is not supported ('-')");
    o.sources.emplace_back(arg);
  }
  return {std::move(o), {}};
}

const char* checkUsage() {
  return R"(usage: threadcheck check [options] [<source>...] [-- <compiler args>]

Finds threading misuse (locks, condition variables, threads) in C and C++ translation units.

  -p <build-dir>          directory holding compile_commands.json (or the file itself);
                          default: search upward from the current directory, also looking
                          in each directory's build/ subdirectory
  --checks=<globs>        checks to run, clang-tidy syntax, e.g. '*,-blocking-under-lock';
                          default: every check but those off by default
                          (thread-create-unchecked, sleep-under-lock), which a glob naming
                          them or '*' enables
  --list-checks           print every check id with a one-line description (with --checks:
                          the selected ones)
  --format=text|sarif|json
                          report format (default: text, clang style)
  -o <file>               write the report to <file> (atomically) instead of stdout
  -j <n>                  translation units analysed in parallel (default: number of cores)
  --baseline=<file>       report only findings whose fingerprint is not in <file>
  --write-baseline=<file> record the current findings' fingerprints in <file> and exit 0
  --export-fixes=<file>   write the reported findings and their fixes to <file> as
                          clang-apply-replacements YAML (as clang-tidy --export-fixes does)
  --fix                   apply the reported findings' fixes to the sources; fixed findings
                          are still listed, marked fixed, and do not count for the exit code
  --source-root=<dir>     root that SARIF/JSON paths and fingerprints are relative to
                          (default: the current directory)
  --cache-dir=<dir>       cache each translation unit's facts in <dir>; later runs parse only
                          the units whose command or included files changed
  --shard=K/N             analyse slice K of N of the database and write its facts to -o
                          (default: threadcheck-shard-K-of-N.tcshard) instead of a report
  --merge <shard>...      report on the shard files (or directories of them) of all N slices,
                          exactly as one unsharded run would
  -h, --help              print this help

<source>...               analyse only these files (each must be in the compilation database);
                          default: every file in the database
-- <compiler args>        without -p: analyse the named sources with these arguments and no
                          compilation database; with -p: extra arguments for every command

Suppress a finding with a clang-tidy style comment: // NOLINT(check-id),
// NOLINTNEXTLINE(check-id), // NOLINTBEGIN(check-id) ... // NOLINTEND(check-id).

Ctrl-C or SIGTERM while units are parsed: the units not started are not analysed and the
others' findings are reported (exit 2); a second one ends the run at once, writing nothing.

Exit status: 0 no findings, 1 findings reported, 2 usage error, bad input, a translation unit
that failed to parse or an interrupted run (2 wins over 1).
)";
}

} // namespace threadcheck::check
