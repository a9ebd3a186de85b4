// `threadcheck check`: options -> compile commands -> parallel parse into facts -> whole-program
// analysis -> NOLINT and baseline -> report -> exit code (0 clean, 1 findings, 2 errors).
#include "check/CheckOptions.h"
#include "check/CompileDatabase.h"
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

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Process.h>
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

void listChecks(const checkers::CheckFilter& filter) {
  size_t width = 0;
  for (const checkers::CheckInfo& c : checkers::allChecks())
    width = std::max(width, c.id.size());
  for (const checkers::CheckInfo& c : checkers::allChecks())
    if (filter.enabled(c.id))
      llvm::outs() << llvm::left_justify(c.id, width + 2) << c.description << "\n";
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
  std::optional<std::set<std::string>> baseline;
  std::vector<clang::tooling::CompileCommand> units;
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
    auto file = report::AtomicOutputFile::create(report::normalizePath(*o.outputPath, in.cwd));
    if (!file)
      return fail("-o " + llvm::toString(file.takeError()));
    in.output.emplace(std::move(*file));
  }
  if (o.writeBaselinePath) {
    auto file =
        report::AtomicOutputFile::create(report::normalizePath(*o.writeBaselinePath, in.cwd));
    if (!file)
      return fail("--write-baseline " + llvm::toString(file.takeError()));
    in.baselineOutput.emplace(std::move(*file));
  }
  if (o.baselinePath) {
    auto baseline = report::readBaseline(*o.baselinePath);
    if (!baseline)
      return fail("--baseline " + llvm::toString(baseline.takeError()));
    in.baseline = std::move(*baseline);
  }

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
  in.units = std::move(*units);
  return kExitClean;
}

int commit(report::AtomicOutputFile& file, const std::string& contents) {
  if (llvm::Error e = file.commit(contents))
    return fail(std::move(e));
  return kExitClean;
}

// Parses every unit (streaming each one's compiler errors to stderr as it finishes) and runs the
// whole-program analysis over the units that parsed. Failed units are recorded in `rep`.
std::vector<checkers::Finding> analyse(const CheckOptions& o, const Inputs& in,
                                       report::Report& rep) {
  check::RunOptions run;
  run.jobs = o.jobs ? o.jobs : std::max(1u, llvm::hardware_concurrency().compute_thread_count());
  run.resourceDir = THREADCHECK_CLANG_RESOURCE_DIR;
  run.colorDiagnostics = llvm::sys::Process::StandardErrHasColors();
  std::vector<check::UnitResult> results = check::runTranslationUnits(
      in.units, in.filter, run, [&](size_t i, const check::UnitResult& r) {
        llvm::errs() << r.diagnostics;
        if (!r.ok)
          llvm::errs() << "threadcheck check: error: "
                       << report::displayPath(in.units[i].Filename, in.cwd) << ": " << r.failure
                       << "; its findings are not reported\n";
        llvm::errs().flush();
      });

  rep.translationUnits = static_cast<unsigned>(results.size());
  std::vector<checkers::TranslationUnitFacts> parsed;
  for (size_t i = 0; i < results.size(); ++i) {
    // A unit with errors has a partial AST; its facts would produce false findings.
    if (results[i].ok)
      parsed.push_back(std::move(results[i].facts));
    else
      rep.errors.push_back({in.units[i].Filename, results[i].failure});
  }

  std::vector<checkers::Finding> findings = checkers::analyzeProgram(parsed, in.filter);
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

int runCheck(const CheckOptions& o) {
  Inputs in;
  if (std::optional<std::string> globs = o.checks) {
    std::string error;
    std::optional<checkers::CheckFilter> filter = checkers::CheckFilter::parse(*globs, error);
    if (!filter)
      return fail("--checks: " + error);
    in.filter = std::move(*filter);
  }
  if (o.listChecks) {
    listChecks(in.filter);
    return kExitClean;
  }
  if (int status = prepare(o, in))
    return status;

  report::Report rep;
  report::SourceFiles files;
  std::vector<report::ReportedFinding> current =
      fingerprintAndSuppress(analyse(o, in, rep), in, files, rep);
  if (in.baselineOutput)
    return writeBaselineFile(current, in, rep);

  for (report::ReportedFinding& rf : current) {
    if (in.baseline && in.baseline->count(rf.fingerprint))
      ++rep.suppressedByBaseline;
    else
      rep.findings.push_back(std::move(rf));
  }
  if (int status = emitReport(o, in, rep, files))
    return status;
  llvm::errs() << report::summaryLine(rep) << "\n";

  if (!rep.errors.empty())
    return kExitError;
  return rep.findings.empty() ? kExitClean : kExitFinding;
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
