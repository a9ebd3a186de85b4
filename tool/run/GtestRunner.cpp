#include "GtestRunner.h"

#include "ChildProcess.h"
#include "Exploration.h"
#include "GtestList.h"
#include "Json.h"
#include "RunReport.h"
#include "ScheduleFile.h"
#include "ShellQuote.h"
#include "common/ExitCodes.h"

#include <chrono>
#include <cstdio>

namespace threadcheck::run {
namespace {

// Listing runs the binary's static constructors and nothing else; this is generous.
constexpr uint64_t kListTimeoutMs = 60000;

enum class Outcome { Clean, Bug, FailsNatively, Error };

const char* outcomeName(Outcome o) {
  switch (o) {
  case Outcome::Clean:
    return "clean";
  case Outcome::Bug:
    return "bug";
  case Outcome::FailsNatively:
    return "fails-natively";
  case Outcome::Error:
    return "error";
  }
  return "error";
}

struct TestResult {
  std::string name;
  Outcome outcome = Outcome::Clean;
  ExploreResult explored;
  std::string nativeEnd; // how the test ended when run natively, if that was checked
  std::string error;
};

int fail(const std::string& msg) {
  fprintf(stderr, "threadcheck run: error: %s\n", msg.c_str());
  return kExitError;
}

// Findings that a test failing on its own would also produce; for these the test is run once
// natively to tell a concurrency bug from a test that is simply broken.
bool mayFailNatively(const std::string& kind) {
  return kind == "exit-status" || kind == "crash" || kind == "assertion" ||
         kind == "uncaught-exception";
}

std::string seconds(double s) {
  char buf[32];
  snprintf(buf, sizeof buf, "%.2fs", s);
  return buf;
}

void printFindingLines(const Finding& f) {
  if (f.scheduleFile.empty())
    return;
  printf("             schedule: %s\n             replay:   threadcheck replay %s\n",
         f.scheduleFile.c_str(), shellQuote(f.scheduleFile).c_str());
}

TestResult exploreTest(const GtestRunOptions& o, const GtestArgs& args, const std::string& name,
                       const std::string& binaryBase) {
  TestResult t;
  t.name = name;
  ExploreOptions e = o.explore;
  e.argv = {o.explore.argv[0]};
  e.argv.insert(e.argv.end(), args.other.begin(), args.other.end());
  e.argv.push_back("--gtest_filter=" + name);
  printf("[ RUN      ] %s\n", name.c_str());
  fflush(stdout);
  Exploration x = exploreAndSave(e, o.outputDir, fileNamePart(binaryBase + "-" + name));
  t.explored = std::move(x.result);
  const ExploreResult& r = t.explored;
  if (!r.error.empty()) {
    t.outcome = Outcome::Error;
    t.error = r.error;
    printf("[  ERROR   ] %s: %s\n", name.c_str(), r.error.c_str());
    return t;
  }
  for (const auto& f : r.findings)
    printFinding(stdout, f, "threadcheck replay " + shellQuote(f.scheduleFile));
  if (!r.findings.empty()) {
    t.outcome = Outcome::Bug;
    const Finding& first = r.findings.front();
    if (mayFailNatively(first.kind)) {
      ChildResult native = runChild(e.argv, e.scheduleTimeoutMs);
      if (native.error.empty() && !native.timedOut && (native.exitCode != 0 || native.signal)) {
        t.outcome = Outcome::FailsNatively;
        t.nativeEnd = describeEnd(native, e.scheduleTimeoutMs);
      }
    }
    if (t.outcome == Outcome::FailsNatively)
      printf("[  FAILED  ] %s: fails without exploration too (%s when run natively); under "
             "exploration: %s in schedule %llu (%s)\n",
             name.c_str(), t.nativeEnd.c_str(), first.kind.c_str(),
             static_cast<unsigned long long>(first.index), seconds(r.elapsed).c_str());
    for (const auto& f : r.findings) {
      if (t.outcome == Outcome::Bug)
        printf("[  FINDING ] %s: %s in schedule %llu (%s)\n", name.c_str(), f.kind.c_str(),
               static_cast<unsigned long long>(f.index), seconds(r.elapsed).c_str());
      printFindingLines(f);
    }
  }
  if (!x.saveError.empty()) {
    if (t.outcome == Outcome::Clean)
      t.outcome = Outcome::Error;
    t.error = x.saveError;
    printf("[  ERROR   ] %s: %s\n", name.c_str(), x.saveError.c_str());
  }
  if (t.outcome == Outcome::Clean)
    printf("[       OK ] %s: %llu schedule%s, no finding%s (%s)\n", name.c_str(),
           static_cast<unsigned long long>(r.schedules), r.schedules == 1 ? "" : "s",
           r.exhausted ? ", every schedule within the preemption bound" : "",
           seconds(r.elapsed).c_str());
  fflush(stdout);
  return t;
}

std::string writeReport(const GtestRunOptions& o, const std::vector<TestResult>& results,
                        const std::vector<std::string>& disabled, const std::string& outcome,
                        uint64_t schedules, double elapsed) {
  Json j = Json::object();
  j.set("version", Json::integer(1));
  j.set("mode", Json::string("gtest"));
  j.set("program", Json::string(o.explore.argv[0]));
  j.set("outcome", Json::string(outcome));
  j.set("schedules", Json::integer(schedules));
  j.set("elapsed_s", Json::number(elapsed));
  j.set("strategy", Json::string(o.explore.strategy));
  j.set("seed", Json::integer(o.explore.seed));
  Json all = Json::array();
  Json tests = Json::array();
  for (const auto& t : results) {
    Json tj = Json::object();
    tj.set("name", Json::string(t.name));
    tj.set("outcome", Json::string(outcomeName(t.outcome)));
    tj.set("schedules", Json::integer(t.explored.schedules));
    tj.set("elapsed_s", Json::number(t.explored.elapsed));
    if (!t.nativeEnd.empty())
      tj.set("native", Json::string(t.nativeEnd));
    if (!t.error.empty())
      tj.set("error", Json::string(t.error));
    Json findings = Json::array();
    for (const auto& f : t.explored.findings) {
      findings.push(findingJson(f));
      Json fj = findingJson(f);
      fj.set("test", Json::string(t.name));
      all.push(std::move(fj));
    }
    tj.set("findings", std::move(findings));
    tests.push(std::move(tj));
  }
  j.set("findings", std::move(all));
  j.set("tests", std::move(tests));
  Json skipped = Json::array();
  for (const auto& d : disabled)
    skipped.push(Json::string(d));
  j.set("disabled", std::move(skipped));
  return writeFileAtomically(o.reportPath, j.dump());
}

} // namespace

int runGtest(const GtestRunOptions& o) {
  const std::string& binary = o.explore.argv[0];
  std::string error;
  if (!isGtestBinary(binary, error))
    return fail(error.empty() ? "'" + binary +
                                    "' is not a GoogleTest binary (it neither links libgtest nor "
                                    "contains GoogleTest's testing:: symbols)"
                              : "'" + binary + "' is not a GoogleTest binary: " + error);
  auto args = splitGtestArgs({o.explore.argv.begin() + 1, o.explore.argv.end()}, error);
  if (!args)
    return fail(error);

  std::vector<std::string> list{binary};
  list.insert(list.end(), args->other.begin(), args->other.end());
  list.push_back("--gtest_list_tests");
  if (!args->filter.empty())
    list.push_back("--gtest_filter=" + args->filter);
  ChildResult listed = runChild(list, kListTimeoutMs);
  if (!listed.error.empty() || listed.timedOut || listed.exitCode != 0 || listed.signal) {
    std::string detail = listed.err.substr(0, listed.err.find('\n'));
    return fail("listing the tests of '" + binary + "' with --gtest_list_tests failed (" +
                describeEnd(listed, kListTimeoutMs) + ")" + (detail.empty() ? "" : ": " + detail));
  }
  auto tests = parseGtestList(listed.out, error);
  if (!tests)
    return fail("cannot list the tests of '" + binary + "': " + error);
  std::vector<std::string> names, disabled;
  for (const auto& t : *tests)
    (t.disabled && !args->alsoRunDisabled ? disabled : names).push_back(t.name);
  if (o.listOnly) {
    for (const auto& n : names)
      printf("%s\n", n.c_str());
    return kExitClean;
  }
  if (names.empty())
    return fail("no test of '" + binary + "' to explore" +
                (args->filter.empty()
                     ? std::string(tests->empty() ? "" : " (every test is disabled)")
                     : " matches --gtest_filter=" + args->filter));

  if (!makeDirectories(o.outputDir))
    return fail("cannot create the output directory '" + o.outputDir + "'");
  auto start = std::chrono::steady_clock::now();
  std::string binaryBase = binary.substr(binary.rfind('/') + 1);
  printf("[==========] threadcheck: exploring %zu test%s of %s, strategy %s, seed %llu, %llu "
         "schedules each\n",
         names.size(), names.size() == 1 ? "" : "s", binaryBase.c_str(), o.explore.strategy.c_str(),
         static_cast<unsigned long long>(o.explore.seed),
         static_cast<unsigned long long>(o.explore.iterations));
  fflush(stdout);
  std::vector<TestResult> results;
  uint64_t schedules = 0;
  bool interrupted = false;
  for (const auto& name : names) {
    results.push_back(exploreTest(o, *args, name, binaryBase));
    schedules += results.back().explored.schedules;
    if (results.back().explored.interrupted) {
      interrupted = true;
      break;
    }
  }
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  size_t counts[4] = {0, 0, 0, 0};
  for (const auto& t : results)
    ++counts[static_cast<int>(t.outcome)];
  std::string skipped;
  if (!disabled.empty())
    skipped = "; " + std::to_string(disabled.size()) + " disabled test" +
              (disabled.size() == 1 ? "" : "s") + " skipped";
  printf("[==========] %zu test%s explored: %zu clean, %zu with findings, %zu failing without "
         "exploration, %zu error%s%s\n",
         results.size(), results.size() == 1 ? "" : "s", counts[0], counts[1], counts[2], counts[3],
         counts[3] == 1 ? "" : "s", skipped.c_str());
  for (const auto& t : results) {
    if (t.outcome == Outcome::Bug)
      printf("[  FINDING ] %s (%s)\n", t.name.c_str(), t.explored.findings.front().kind.c_str());
    else if (t.outcome == Outcome::FailsNatively)
      printf("[  FAILED  ] %s (fails without exploration)\n", t.name.c_str());
    else if (t.outcome == Outcome::Error)
      printf("[  ERROR   ] %s (%s)\n", t.name.c_str(), t.error.c_str());
  }
  fflush(stdout);

  bool found = counts[1] + counts[2] > 0;
  std::string outcome = found ? "bug" : counts[3] || interrupted ? "error" : "clean";
  if (!o.reportPath.empty()) {
    std::string err = writeReport(o, results, disabled, outcome, schedules, elapsed);
    if (!err.empty())
      return fail(err);
  }
  fprintf(stderr,
          "threadcheck run --gtest: %zu test%s, %llu schedules in %.2fs, strategy %s, seed %llu: "
          "%zu with findings, %zu failing without exploration%s\n",
          results.size(), results.size() == 1 ? "" : "s",
          static_cast<unsigned long long>(schedules), elapsed, o.explore.strategy.c_str(),
          static_cast<unsigned long long>(o.explore.seed), counts[1], counts[2],
          interrupted ? "; interrupted" : "");
  if (found)
    return kExitFinding;
  if (interrupted)
    return fail("interrupted before any finding");
  return counts[3] ? kExitError : kExitClean;
}

} // namespace threadcheck::run
