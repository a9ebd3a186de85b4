// `threadcheck check`: options -> compile commands -> parallel parse into facts -> whole-program
// analysis -> NOLINT and baseline -> report -> exit code (0 clean, 1 findings, 2 errors).
#include "check/CheckFixes.h"
#include "check/CheckOptions.h"
#include "check/CompileDatabase.h"
#include "check/FactsCache.h"
#include "check/ShardFiles.h"
#include "check/TranslationUnitRunner.h"
#include "common/ExitCodes.h"
#include "common/Subcommands.h"
#include "report/AtomicOutputFile.h"
#include "report/Baseline.h"
#include "report/Fingerprint.h"
#include "report/Nolint.h"
#include "report/Paths.h"
#include "report/SourceFiles.h"
#include "report/Writers.h"
#include "threadcheck/checkers/Analysis.h"
#include "threadcheck/checkers/CheckRegistry.h"

#include <atomic>
#include <csignal>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/Signals.h>
#include <llvm/Support/Threading.h>
#include <llvm/Support/raw_ostream.h>
#include <map>
#include <set>

namespace threadcheck {
namespace {

using check::CheckOptions;
using check::OutputFormat;

// Every error is one line on stderr and exit code 2.
int fail(const llvm::Twine& message) {
  llvm::errs() << "threadcheck check: error: " << message << "\n";
  return kExitError;
}

int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

// Without --checks, every check, those off by default marked so; with it, the selected ones.
void listChecks(const checkers::CheckFilter& filter, bool selected) {
  size_t width = 0;
  for (const checkers::CheckInfo& c : checkers::allChecks())
    width = std::max(width, c.id.size());
  for (const checkers::CheckInfo& c : checkers::allChecks())
    if (filter.enabled(c.id) || (!selected && !c.onByDefault))
      llvm::outs() << llvm::left_justify(c.id, width + 2) << c.description
                   << (c.onByDefault ? "" : " [off by default]") << "\n";
}

// Findings on something that is not a file on disk ("<built-in>", "<scratch space>") or that no
// longer exists cannot be shown or suppressed; the engine already skips system headers.
void dropUnreadableLocations(std::vector<checkers::Finding>& findings) {
  std::map<std::string, bool> isFile;
  std::erase_if(findings, [&](const checkers::Finding& f) {
    auto [it, inserted] = isFile.try_emplace(f.loc.file, false);
    if (inserted)
      it->second = llvm::sys::fs::is_regular_file(f.loc.file);
    return !f.loc.valid() || !it->second;
  });
}

struct Inputs {
  std::string cwd;
  report::ReportContext context;
  checkers::CheckFilter filter;
  std::optional<report::AtomicOutputFile> output;
  std::optional<report::AtomicOutputFile> baselineOutput;
  std::optional<report::AtomicOutputFile> fixesOutput; // --export-fixes
  std::optional<std::set<std::string>> baseline;
  std::vector<clang::tooling::CompileCommand> units;
  std::unique_ptr<check::FactsCache> cache; // --cache-dir
};

// Everything that can be wrong with the command line or its inputs is found here, before any
// translation unit is parsed, so bad input fails fast and leaves no output file behind.
int prepare(const CheckOptions& o, Inputs& in) {
  llvm::SmallString<256> cwd;
  if (std::error_code ec = llvm::sys::fs::current_path(cwd))
    return fail("cannot determine the current directory: " + ec.message());
  in.cwd = std::string(cwd);
  in.context.cwd = in.cwd;
  in.context.toolVersion = THREADCHECK_VERSION;
  in.context.sourceRoot = in.cwd;
  if (o.sourceRoot) {
    in.context.sourceRoot = report::normalizePath(*o.sourceRoot, in.cwd);
    if (!llvm::sys::fs::is_directory(in.context.sourceRoot))
      return fail("--source-root " + *o.sourceRoot + ": no such directory");
  }
  if (o.writeBaselinePath && o.outputPath)
    return fail("-o and --write-baseline cannot be combined: --write-baseline writes only "
                "the baseline");

  if (o.outputPath) {
    auto file = report::AtomicOutputFile::reserve(report::normalizePath(*o.outputPath, in.cwd));
    if (!file)
      return fail("-o " + llvm::toString(file.takeError()));
    in.output.emplace(std::move(*file));
  }
  if (o.writeBaselinePath) {
    auto file =
        report::AtomicOutputFile::reserve(report::normalizePath(*o.writeBaselinePath, in.cwd));
    if (!file)
      return fail("--write-baseline " + llvm::toString(file.takeError()));
    in.baselineOutput.emplace(std::move(*file));
  }
  if (llvm::Error e = check::prepareFixOutputs(o, in.cwd, in.fixesOutput))
    return fail(std::move(e));
  if (o.baselinePath) {
    auto baseline = report::readBaseline(*o.baselinePath);
    if (!baseline)
      return fail("--baseline " + llvm::toString(baseline.takeError()));
    in.baseline = std::move(*baseline);
  }

  if (o.merge)
    return kExitClean; // the shard files are read by runMerge
  check::LoadedDatabase db;
  std::vector<std::string> extraArgs;
  if (o.hasCompilerArgs && !o.buildPath) {
    db = check::makeFixedDatabase(in.cwd, o.compilerArgs);
  } else {
    llvm::Expected<std::string> json = check::locateCompileCommands(o.buildPath, in.cwd);
    if (!json)
      return fail(json.takeError());
    llvm::Expected<check::LoadedDatabase> loaded = check::loadJsonDatabase(*json);
    if (!loaded)
      return fail(loaded.takeError());
    db = std::move(*loaded);
    extraArgs = o.compilerArgs;
  }
  auto units = check::selectTranslationUnits(db, o.sources, extraArgs, in.cwd);
  if (!units)
    return fail(units.takeError());
  std::vector<std::string> skipped = check::dropNonCFamily(*units);
  if (!skipped.empty()) {
    // One note for all of them, as clang-tidy skips such entries: they are not our language.
    std::string names;
    for (size_t i = 0; i < skipped.size() && i < 3; ++i)
      names += (i ? ", " : "") + report::displayPath(skipped[i], in.cwd);
    if (skipped.size() > 3)
      names += " and " + std::to_string(skipped.size() - 3) + " more";
    llvm::errs() << "threadcheck check: note: skipped " << skipped.size()
                 << (skipped.size() == 1 ? " compile command" : " compile commands")
                 << " that are not C or C++ (" << names << ")\n";
    if (units->empty())
      return fail(db.description + ": no C or C++ translation units to analyse");
  }
  in.units = std::move(*units);
  return kExitClean;
}

int commit(report::AtomicOutputFile& file, const std::string& contents) {
  if (llvm::Error e = file.commit(contents))
    return fail(std::move(e));
  return kExitClean;
}

// SIGINT and SIGTERM while units are parsed: the first stops the workers taking new units (those
// being parsed finish), and the run reports what the parsed units give, listing the rest as not
// analysed (exit 2: the result is incomplete); the second ends the process at once through LLVM's
// handler, which removes any temporary file first. Outside parsing (the whole-program analysis,
// writing the report) LLVM's handler is in place: the process ends and no output file appears.
std::atomic<bool> gInterrupted{false};
struct sigaction gPreviousInt, gPreviousTerm;

void onInterrupt(int) {
  gInterrupted.store(true);
  // Async-signal-safe: the next signal goes to the handler that was there before.
  sigaction(SIGINT, &gPreviousInt, nullptr);
  sigaction(SIGTERM, &gPreviousTerm, nullptr);
}

class InterruptScope {
public:
  InterruptScope() {
    // Installs LLVM's handlers now (they are installed once, on first use), so that a temporary
    // file created later does not replace ours and ours falls back to them.
    llvm::sys::SetInterruptFunction(nullptr);
    struct sigaction action = {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &gPreviousInt);
    sigaction(SIGTERM, &action, &gPreviousTerm);
  }
  ~InterruptScope() {
    sigaction(SIGINT, &gPreviousInt, nullptr);
    sigaction(SIGTERM, &gPreviousTerm, nullptr);
  }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

// Parses the units at `selection` (streaming each one's compiler errors to stderr as it
// finishes), or takes their facts from the cache.
std::vector<check::ShardedUnit> parseUnits(const CheckOptions& o, const Inputs& in,
                                           const std::vector<size_t>& selection) {
  check::RunOptions run;
  run.jobs = o.jobs ? o.jobs : std::max(1u, llvm::hardware_concurrency().compute_thread_count());
  run.resourceDir = THREADCHECK_CLANG_RESOURCE_DIR;
  run.colorDiagnostics = llvm::sys::Process::StandardErrHasColors();
  run.cache = in.cache.get();
  run.stop = &gInterrupted;
  std::vector<clang::tooling::CompileCommand> commands;
  for (size_t i : selection)
    commands.push_back(in.units[i]);
  // Cached and sharded facts must serve any later --checks, so they hold every check's facts;
  // analyzeProgram applies the filter.
  checkers::CheckFilter all = checkers::CheckFilter::everything();
  const checkers::CheckFilter& parseFilter = in.cache || o.shard ? all : in.filter;
  std::vector<check::UnitResult> results;
  {
    InterruptScope interruptible;
    results = check::runTranslationUnits(
        commands, parseFilter, run, [&](size_t i, const check::UnitResult& r) {
          llvm::errs() << r.diagnostics;
          if (!r.ok && !r.interrupted)
            llvm::errs() << "threadcheck check: error: "
                         << report::displayPath(commands[i].Filename, in.cwd) << ": " << r.failure
                         << "; its findings are not reported\n";
          llvm::errs().flush();
        });
  }
  size_t interrupted = std::count_if(results.begin(), results.end(),
                                     [](const check::UnitResult& r) { return r.interrupted; });
  if (interrupted)
    llvm::errs() << "threadcheck check: error: interrupted: " << interrupted << " of "
                 << results.size()
                 << " translation units not analysed; reporting what the others give\n";

  std::vector<check::ShardedUnit> units(results.size());
  unsigned fromCache = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    fromCache += results[i].fromCache;
    units[i] = {selection[i], commands[i].Filename, results[i].ok, results[i].failure,
                std::move(results[i].facts)};
  }
  if (in.cache) {
    llvm::errs() << "threadcheck check: " << results.size() - fromCache << " of " << results.size()
                 << " translation units parsed, " << fromCache << " from cache";
    if (unsigned damaged = in.cache->damagedEntries())
      llvm::errs() << "; " << damaged << " unusable cache " << (damaged == 1 ? "entry" : "entries")
                   << " rebuilt";
    llvm::errs() << "\n";
  }
  return units;
}

std::vector<size_t> allUnits(const Inputs& in) {
  std::vector<size_t> all(in.units.size());
  for (size_t i = 0; i < all.size(); ++i)
    all[i] = i;
  return all;
}

// The whole-program analysis over the units that parsed. Failed units are recorded in `rep`.
std::vector<checkers::Finding> analyse(std::vector<check::ShardedUnit> units, const Inputs& in,
                                       report::Report& rep) {
  rep.translationUnits = static_cast<unsigned>(units.size());
  std::vector<checkers::TranslationUnitFacts> parsed;
  for (check::ShardedUnit& u : units) {
    // A unit with errors has a partial AST; its facts would produce false findings.
    if (u.ok)
      parsed.push_back(std::move(u.facts));
    else
      rep.errors.push_back({u.file, u.failure});
  }

  std::vector<checkers::Finding> findings =
      checkers::analyzeProgram(parsed, in.filter, &rep.incomplete);
  // One entry per function, however many template instantiations share its source.
  std::sort(rep.incomplete.begin(), rep.incomplete.end(),
            [](const checkers::IncompleteFunction& a, const checkers::IncompleteFunction& b) {
              return std::tie(a.loc.file, a.loc.line, a.loc.column, a.name) <
                     std::tie(b.loc.file, b.loc.line, b.loc.column, b.name);
            });
  rep.incomplete.erase(
      std::unique(rep.incomplete.begin(), rep.incomplete.end(),
                  [](const checkers::IncompleteFunction& a, const checkers::IncompleteFunction& b) {
                    return a.loc == b.loc;
                  }),
      rep.incomplete.end());
  std::erase_if(findings,
                [&](const checkers::Finding& f) { return !in.filter.enabled(f.checkId); });
  dropUnreadableLocations(findings);
  checkers::sortAndDeduplicate(findings);
  return findings;
}

std::vector<report::ReportedFinding> fingerprintAndSuppress(std::vector<checkers::Finding> findings,
                                                            const Inputs& in,
                                                            report::SourceFiles& files,
                                                            report::Report& rep) {
  // Fingerprints are taken before suppressions so that adding a NOLINT to one of two identical
  // findings does not change the other's occurrence index.
  std::vector<std::string> fingerprints =
      report::computeFingerprints(findings, in.context.sourceRoot, files);
  report::Suppressions suppressions(files);
  std::vector<report::ReportedFinding> kept;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (suppressions.suppressed(findings[i]))
      ++rep.suppressedByNolint;
    else
      kept.push_back({std::move(findings[i]), std::move(fingerprints[i])});
  }
  return kept;
}

int writeBaselineFile(const std::vector<report::ReportedFinding>& findings, Inputs& in,
                      const report::Report& rep) {
  if (!rep.errors.empty())
    return fail("baseline " + in.baselineOutput->path() +
                " not written: " + std::to_string(rep.errors.size()) +
                " translation unit(s) failed to parse, so it would be incomplete");
  std::string text;
  llvm::raw_string_ostream os(text);
  report::writeBaseline(os, findings, in.context);
  if (int status = commit(*in.baselineOutput, os.str()))
    return status;
  llvm::errs() << "threadcheck check: wrote " << findings.size()
               << (findings.size() == 1 ? " finding" : " findings") << " to the baseline "
               << report::displayPath(in.baselineOutput->path(), in.cwd) << " ("
               << rep.translationUnits << " translation units analysed)\n";
  return kExitClean;
}

// Functions given up on are not failures (the rest of the program was analysed), but a user must
// know that findings inside them may be missing.
void noteIncomplete(const report::Report& rep, const Inputs& in) {
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < rep.incomplete.size() && i < kShown; ++i) {
    const checkers::IncompleteFunction& f = rep.incomplete[i];
    llvm::errs() << "threadcheck check: note: " << report::displayPath(f.loc.file, in.cwd) << ":"
                 << f.loc.line << ": '" << f.name
                 << "' has too many paths to analyse within the budget; nothing is reported "
                    "inside it\n";
  }
  if (rep.incomplete.size() > kShown)
    llvm::errs() << "threadcheck check: note: and " << rep.incomplete.size() - kShown
                 << " more functions with too many paths to analyse (listed in --format=json "
                    "and sarif)\n";
}

int emitReport(const CheckOptions& o, Inputs& in, const report::Report& rep,
               report::SourceFiles& files) {
  std::string text;
  llvm::raw_string_ostream os(text);
  switch (o.format) {
  case OutputFormat::Text:
    report::writeText(os, rep, in.context, files);
    break;
  case OutputFormat::Json:
    report::writeJson(os, rep, in.context);
    break;
  case OutputFormat::Sarif:
    report::writeSarif(os, rep, in.context);
    break;
  }
  os.flush();
  if (in.output)
    return commit(*in.output, text);
  llvm::outs() << text;
  llvm::outs().flush();
  if (llvm::outs().has_error()) {
    // Left set, the error would make LLVM exit with code 1, which a caller would read as
    // "findings".
    llvm::outs().clear_error();
    return fail("cannot write the report to standard output");
  }
  return kExitClean;
}

// Option combinations that --cache-dir, --shard and --merge rule out.
int checkIncrementalOptions(const CheckOptions& o) {
  if (o.merge && o.shard)
    return fail("--merge and --shard cannot be combined");
  if (o.merge && (o.buildPath || o.hasCompilerArgs))
    return fail("--merge reads shard files, not compile commands: drop -p and '--'");
  if (o.merge && o.cacheDir)
    return fail("--merge parses nothing, so --cache-dir does not apply");
  if (o.shard && (o.baselinePath || o.writeBaselinePath))
    return fail("--shard writes facts, not a report: give --baseline and --write-baseline to "
                "--merge");
  return kExitClean;
}

int openCache(const CheckOptions& o, Inputs& in) {
  if (!o.cacheDir)
    return kExitClean;
  auto cache =
      check::FactsCache::open(report::normalizePath(*o.cacheDir, in.cwd), THREADCHECK_VERSION);
  if (!cache)
    return fail(cache.takeError());
  in.cache = std::move(*cache);
  return kExitClean;
}

// --shard=K/N: this slice's facts (and parse failures) go to the shard file instead of a report.
int writeShard(const CheckOptions& o, Inputs& in) {
  check::ShardContents shard;
  shard.spec = *o.shard;
  shard.totalUnits = in.units.size();
  shard.databaseId = check::databaseIdentity(in.units, in.context.sourceRoot);
  shard.units = parseUnits(o, in, check::shardSlice(in.units, shard.spec, in.context.sourceRoot));
  bool failed = std::any_of(shard.units.begin(), shard.units.end(),
                            [](const check::ShardedUnit& u) { return !u.ok; });
  if (int status =
          commit(*in.output, check::encodeShard(shard, in.context.sourceRoot, THREADCHECK_VERSION)))
    return status;
  llvm::errs() << "threadcheck check: shard " << shard.spec.index << "/" << shard.spec.count << ": "
               << shard.units.size() << " of " << shard.totalUnits
               << " translation units, facts written to "
               << report::displayPath(in.output->path(), in.cwd) << "\n";
  return failed ? kExitError : kExitClean;
}

int runCheck(const CheckOptions& options) {
  if (int status = checkIncrementalOptions(options))
    return status;
  CheckOptions o = options;
  if (o.shard && !o.outputPath)
    o.outputPath = check::defaultShardFileName(*o.shard);
  Inputs in;
  if (std::optional<std::string> globs = o.checks) {
    std::string error;
    std::optional<checkers::CheckFilter> filter = checkers::CheckFilter::parse(*globs, error);
    if (!filter)
      return fail("--checks: " + error);
    in.filter = std::move(*filter);
  }
  if (o.listChecks) {
    listChecks(in.filter, o.checks.has_value());
    return kExitClean;
  }
  if (int status = prepare(o, in))
    return status;
  if (int status = openCache(o, in))
    return status;
  if (o.shard)
    return writeShard(o, in);

  std::vector<check::ShardedUnit> units;
  if (o.merge) {
    auto merged =
        check::readShardSet(o.sources, in.cwd, in.context.sourceRoot, THREADCHECK_VERSION);
    if (!merged)
      return fail(merged.takeError());
    units = std::move(*merged);
  } else {
    units = parseUnits(o, in, allUnits(in));
  }
  std::string mainSourceFile = units.empty() ? std::string() : units.front().file;
  report::Report rep;
  report::SourceFiles files;
  std::vector<report::ReportedFinding> current =
      fingerprintAndSuppress(analyse(std::move(units), in, rep), in, files, rep);
  if (in.baselineOutput)
    return writeBaselineFile(current, in, rep);

  for (report::ReportedFinding& rf : current) {
    if (in.baseline && in.baseline->count(rf.fingerprint))
      ++rep.suppressedByBaseline;
    else
      rep.findings.push_back(std::move(rf));
  }
  if (llvm::Error e =
          check::exportAndApplyFixes(o, in.fixesOutput, mainSourceFile, in.cwd, rep, files))
    return fail(std::move(e));
  if (int status = emitReport(o, in, rep, files))
    return status;
  noteIncomplete(rep, in);
  llvm::errs() << report::summaryLine(rep) << "\n";

  if (!rep.errors.empty())
    return kExitError;
  return std::any_of(rep.findings.begin(), rep.findings.end(), report::isOpen) ? kExitFinding
                                                                               : kExitClean;
}

} // namespace

int checkMain(int argc, char** argv) {
  check::ParsedOptions parsed = check::parseCheckOptions(argc, argv);
  if (!parsed.options)
    return fail(parsed.error);
  if (parsed.options->help) {
    llvm::outs() << check::checkUsage();
    return kExitClean;
  }
  return runCheck(*parsed.options);
}

} // namespace threadcheck
