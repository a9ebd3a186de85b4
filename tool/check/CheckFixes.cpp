#include "check/CheckFixes.h"

#include "report/ApplyFixes.h"
#include "report/FixesYaml.h"
#include "report/Paths.h"

#include <llvm/Support/raw_ostream.h>
#include <set>

namespace threadcheck::check {
namespace {

llvm::Error usage(const llvm::Twine& message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace

llvm::Error prepareFixOutputs(const CheckOptions& o, const std::string& cwd,
                              std::optional<report::AtomicOutputFile>& exportFile) {
  if ((o.fix || o.exportFixesPath) && o.writeBaselinePath)
    return usage("--fix and --export-fixes cannot be combined with --write-baseline, which "
                 "writes only the baseline");
  if ((o.fix || o.exportFixesPath) && o.shard)
    return usage("--shard writes facts, not a report: give --fix and --export-fixes to --merge");
  if (!o.exportFixesPath)
    return llvm::Error::success();
  auto file = report::AtomicOutputFile::reserve(report::normalizePath(*o.exportFixesPath, cwd));
  if (!file)
    return usage("--export-fixes " + llvm::toString(file.takeError()));
  exportFile.emplace(std::move(*file));
  return llvm::Error::success();
}

llvm::Error exportAndApplyFixes(const CheckOptions& o,
                                std::optional<report::AtomicOutputFile>& exportFile,
                                const std::string& mainSourceFile, const std::string& cwd,
                                report::Report& rep, report::SourceFiles& files) {
  if (exportFile) {
    std::string text;
    llvm::raw_string_ostream os(text);
    report::writeFixesYaml(os, rep.findings, mainSourceFile, cwd, files);
    if (llvm::Error e = exportFile->commit(os.str()))
      return usage("--export-fixes " + llvm::toString(std::move(e)));
  }
  if (!o.fix)
    return llvm::Error::success();
  rep.fixing = true;

  std::vector<report::FixRequest> requests;
  std::vector<report::ReportedFinding*> withFix;
  for (report::ReportedFinding& rf : rep.findings) {
    const checkers::Finding& f = rf.finding;
    if (!f.fix)
      continue;
    requests.push_back({&*f.fix, f.checkId + " at " + report::displayPath(f.loc.file, cwd) + ":" +
                                     std::to_string(f.loc.line)});
    withFix.push_back(&rf);
  }
  // As clang-tidy without --fix-errors: code that does not compile is not edited.
  if (!rep.errors.empty()) {
    for (report::ReportedFinding* rf : withFix) {
      rf->fixOutcome = report::FixOutcome::Refused;
      rf->fixRefusal = "a translation unit failed to parse, so no fix is applied";
    }
    if (!withFix.empty())
      llvm::errs() << "threadcheck check: warning: --fix: no fix applied, since "
                   << rep.errors.size() << " translation unit(s) failed to parse\n";
    return llvm::Error::success();
  }

  report::FixPlan plan =
      report::planFixes(requests, report::fileSizeOnDisk, report::fileIsReadOnly);
  for (size_t i = 0; i < withFix.size(); ++i) {
    report::ReportedFinding& rf = *withFix[i];
    if (plan.refusals[i].empty()) {
      rf.fixOutcome = report::FixOutcome::Applied;
      continue;
    }
    rf.fixOutcome = report::FixOutcome::Refused;
    rf.fixRefusal = plan.refusals[i];
    llvm::errs() << "threadcheck check: warning: --fix: the fix for " << requests[i].label
                 << " is not applied: " << plan.refusals[i] << "\n";
  }
  if (llvm::Error e = report::applyFixPlan(plan))
    return e;
  size_t applied = 0, replacements = 0;
  for (const report::ReportedFinding* rf : withFix)
    applied += rf->fixOutcome == report::FixOutcome::Applied;
  for (const auto& [file, edits] : plan.edits)
    replacements += edits.size();
  if (applied)
    llvm::errs() << "threadcheck check: --fix: applied " << applied
                 << (applied == 1 ? " fix" : " fixes") << " (" << replacements
                 << (replacements == 1 ? " replacement" : " replacements") << " in "
                 << plan.edits.size() << (plan.edits.size() == 1 ? " file" : " files") << ")\n";
  return llvm::Error::success();
}

} // namespace threadcheck::check
