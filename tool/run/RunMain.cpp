// `threadcheck run` and `threadcheck replay`: option parsing, checks on the program, saving
// schedules before printing, and the exit-code contract.
#include "Exploration.h"
#include "Explorer.h"
#include "GtestRunner.h"
#include "Instrumentation.h"
#include "RunReport.h"
#include "RuntimeLocation.h"
#include "ScheduleFile.h"
#include "ShellQuote.h"
#include "Suppressions.h"
#include "Symbolizer.h"
#include "common/ExitCodes.h"
#include "common/Subcommands.h"

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace threadcheck {
namespace {

using run::ExploreOptions;
using run::ExploreResult;
using run::Finding;

constexpr const char* kRunUsage =
    "usage: threadcheck run [options] -- <program> [args...]\n"
    "       threadcheck run --gtest [options] -- <gtest-binary> [args...]\n"
    "\n"
    "Runs the program many times under a controlled scheduler, exploring thread interleavings,\n"
    "and reports the first schedule that fails (deadlock, crash, assertion, lost wake-up, ...).\n"
    "\n"
    "options:\n"
    "  --gtest                  the program is a GoogleTest binary: explore each of its tests\n"
    "                           on its own (honours --gtest_filter) and report per test\n"
    "  --list-tests             with --gtest: print the tests that would be explored and stop\n"
    "  --strategy=random|pct|pos|dfs  how schedules are chosen (default random)\n"
    "  --iterations=<n>         schedules to explore (default 1000)\n"
    "  --seed=<n>               base seed (default: from the clock, printed)\n"
    "  --time-budget=<seconds>  stop exploring after this long (a schedule still running then\n"
    "                           is stopped unfinished: no finding)\n"
    "  --jobs=<n>               parallel explorers (default 1)\n"
    "  --keep-going             do not stop at the first finding\n"
    "  --output-dir=<dir>       where failing schedules are saved (default threadcheck-schedules)\n"
    "  --report=<file>          write a JSON summary of the run\n"
    "  --pct-depth=<d>          bug depth for pct (default 3)\n"
    "  --preemption-bound=<n>   preemptions per schedule for dfs (default 2)\n"
    "  --livelock-steps=<n>     steps in a row in which no thread makes progress (only yields,\n"
    "                           sleeps and re-reads of unchanged atomics, under fair\n"
    "                           scheduling) before a schedule is a livelock (default 100000)\n"
    "  --max-steps=<n>          scheduling steps before a schedule is a livelock even though it\n"
    "                           makes progress (default 10000000)\n"
    "  --time-slice=<ms>        CPU time a thread may run without reaching a scheduling point\n"
    "                           before it is preempted (default 1, rounded up to\n"
    "                           the kernel's timer tick; 0: never; uses signal 62)\n"
    "  --schedule-timeout=<s>   wall-clock limit of one schedule (default 10)\n"
    "  --ignore=<kinds>         finding kinds (comma-separated, e.g. thread-leak,data-race) that\n"
    "                           are neither reported nor stop the search\n"
    "  --suppressions=<file>    TSan-style lines 'kind:function-glob' ('#' comments): a finding\n"
    "                           of that kind with a matching function (or source file) in a\n"
    "                           stack is dropped and the search goes on\n"
    "\n"
    "A thread leak is reported once and the search goes on for other findings.\n"
    "\n"
    "Exit status: 0 no finding, 1 a finding, 2 usage error or bad input, or a run that\n"
    "explored nothing or broke off (the program started no thread under control, the runtime\n"
    "did not load, the fork server was killed), or Ctrl-C / SIGTERM before any finding; the\n"
    "--report file then says \"outcome\": \"error\". --report and --output-dir are checked\n"
    "before the program starts.\n"
    "\n"
    "instrumented programs (built with 'threadcheck cc' / 'threadcheck c++'; detected):\n"
    "  --access-points=racy|all|none  plain memory accesses that are scheduling points: those\n"
    "                           seen racing in the race-detection pass (default), every one, or\n"
    "                           none (atomics and library calls only)\n"
    "  --race-pass=<n>          at most n schedules in the race-detection pass (default 20)\n";

constexpr const char* kReplayUsage =
    "usage: threadcheck replay [options] <schedule-file> [-- <program> [args...]]\n"
    "\n"
    "Re-runs one saved schedule exactly and reports its finding again.\n"
    "\n"
    "options:\n"
    "  --program=<path>         replay against this executable (a rebuilt program) instead of\n"
    "                           the recorded one, whose identity is then not checked\n"
    "  --report=<file>          write a JSON summary of the replay\n"
    "  --schedule-timeout=<s>   wall-clock limit of the schedule (default 10)\n"
    "\n"
    "The program must be the one recorded (same path, size and build id or content hash):\n"
    "otherwise the replay exits 2 without running it.\n";

struct UsageError {
  std::string message;
};

std::optional<uint64_t> parseU64(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  errno = 0;
  unsigned long long v = strtoull(s.c_str(), nullptr, 10);
  if (errno)
    return std::nullopt;
  return v;
}

std::optional<double> parseSeconds(const std::string& s) {
  char* end = nullptr;
  errno = 0;
  double v = strtod(s.c_str(), &end);
  if (s.empty() || *end || errno || v < 0)
    return std::nullopt;
  return v;
}

// Resolves the program like execvp and rejects what interposition cannot handle.
std::string resolveProgram(const std::string& prog, std::string& error) {
  std::string path = prog;
  if (prog.find('/') == std::string::npos) {
    const char* env = getenv("PATH");
    std::string dirs = env ? env : "/usr/bin:/bin";
    path.clear();
    size_t start = 0;
    while (start <= dirs.size()) {
      size_t colon = dirs.find(':', start);
      if (colon == std::string::npos)
        colon = dirs.size();
      std::string cand = dirs.substr(start, colon - start) + "/" + prog;
      if (access(cand.c_str(), X_OK) == 0) {
        path = cand;
        break;
      }
      start = colon + 1;
    }
    if (path.empty()) {
      error = "program '" + prog + "' not found";
      return "";
    }
  }
  struct stat st{};
  if (stat(path.c_str(), &st) != 0) {
    error = "program '" + prog + "' does not exist";
    return "";
  }
  if (!S_ISREG(st.st_mode) || access(path.c_str(), X_OK) != 0) {
    error = "program '" + prog + "' is not an executable file";
    return "";
  }
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr eh{};
  if (in.read(reinterpret_cast<char*>(&eh), sizeof eh) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
      eh.e_ident[EI_CLASS] == ELFCLASS64) {
    bool interp = false;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
      Elf64_Phdr ph{};
      in.seekg(static_cast<std::streamoff>(eh.e_phoff + i * eh.e_phentsize));
      if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph))
        break;
      if (ph.p_type == PT_INTERP)
        interp = true;
    }
    if (!interp) {
      error = "program '" + prog +
              "' is statically linked, so the runtime cannot be preloaded into it; link it "
              "dynamically, or link the runtime in (threadcheck_rt_static, see docs/runtime.md)";
      return "";
    }
  }
  char real[PATH_MAX];
  return realpath(path.c_str(), real) ? real : path;
}

struct Parsed {
  std::vector<std::pair<std::string, std::string>> options; // name, value ("" for flags)
  std::vector<std::string> positional;
  std::vector<std::string> program;
  bool dashdash = false;
};

Parsed parseArgs(int argc, char** argv, const std::vector<std::string>& flags) {
  Parsed p;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      p.dashdash = true;
      for (int k = i + 1; k < argc; ++k)
        p.program.push_back(argv[k]);
      break;
    }
    if (a.rfind("--", 0) == 0) {
      auto eq = a.find('=');
      std::string name = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      bool isFlag = false;
      for (const auto& f : flags)
        isFlag = isFlag || f == name;
      if (eq != std::string::npos) {
        p.options.emplace_back(name, a.substr(eq + 1));
      } else if (isFlag || name == "help") {
        p.options.emplace_back(name, "");
      } else {
        if (i + 1 >= argc)
          throw UsageError{"option '--" + name + "' needs a value"};
        p.options.emplace_back(name, argv[++i]);
      }
      continue;
    }
    if (a == "-h") {
      p.options.emplace_back("help", "");
      continue;
    }
    if (a.size() > 1 && a[0] == '-')
      throw UsageError{"unknown option '" + a + "'"};
    p.positional.push_back(a);
  }
  return p;
}

int fail(const char* cmd, const std::string& msg) {
  fprintf(stderr, "threadcheck %s: error: %s\n", cmd, msg.c_str());
  return kExitError;
}

int runCommand(int argc, char** argv) {
  Parsed p = parseArgs(argc, argv, {"keep-going", "gtest", "list-tests"});
  ExploreOptions o;
  std::string outputDir = "threadcheck-schedules";
  std::string reportPath;
  bool seedGiven = false;
  std::string accessPoints = "racy";
  uint64_t racePass = 20;
  bool gtest = false;
  bool listTests = false;
  for (const auto& [name, value] : p.options) {
    auto num = [&, &name = name, &value = value]() {
      auto v = parseU64(value);
      if (!v)
        throw UsageError{"option '--" + name + "' needs a non-negative integer, not '" + value +
                         "'"};
      return *v;
    };
    if (name == "help") {
      fputs(kRunUsage, stdout);
      return kExitClean;
    } else if (name == "strategy") {
      if (value != "random" && value != "pct" && value != "pos" && value != "dfs")
        throw UsageError{"unknown strategy '" + value + "' (random, pct, pos or dfs)"};
      o.strategy = value;
    } else if (name == "iterations") {
      o.iterations = num();
      if (o.iterations == 0)
        throw UsageError{"--iterations must be at least 1"};
    } else if (name == "seed") {
      o.seed = num();
      seedGiven = true;
    } else if (name == "time-budget") {
      auto v = parseSeconds(value);
      if (!v)
        throw UsageError{"--time-budget needs a number of seconds, not '" + value + "'"};
      o.timeBudget = *v;
    } else if (name == "jobs") {
      uint64_t j = num();
      if (j < 1 || j > 256)
        throw UsageError{"--jobs must be between 1 and 256"};
      o.jobs = static_cast<unsigned>(j);
    } else if (name == "keep-going") {
      o.keepGoing = true;
    } else if (name == "gtest") {
      gtest = true;
    } else if (name == "list-tests") {
      listTests = true;
    } else if (name == "output-dir") {
      outputDir = value;
    } else if (name == "report") {
      reportPath = value;
    } else if (name == "pct-depth") {
      o.pctDepth = static_cast<unsigned>(num());
    } else if (name == "preemption-bound") {
      o.preemptionBound = static_cast<unsigned>(num());
    } else if (name == "max-steps") {
      o.maxSteps = num();
      if (o.maxSteps == 0)
        throw UsageError{"--max-steps must be at least 1"};
    } else if (name == "livelock-steps") {
      o.livelockSteps = num();
      if (o.livelockSteps == 0)
        throw UsageError{"--livelock-steps must be at least 1"};
    } else if (name == "time-slice") {
      auto v = parseSeconds(value);
      if (!v || *v > 10000)
        throw UsageError{"--time-slice needs a number of milliseconds from 0 to 10000, not '" +
                         value + "'"};
      o.timeSliceUs = static_cast<uint64_t>(*v * 1000);
      if (*v > 0 && o.timeSliceUs < 100)
        throw UsageError{"--time-slice must be 0 or at least 0.1 ms"};
    } else if (name == "schedule-timeout") {
      auto v = parseSeconds(value);
      if (!v || *v <= 0)
        throw UsageError{"--schedule-timeout needs a positive number of seconds"};
      o.scheduleTimeoutMs = static_cast<uint64_t>(*v * 1000);
    } else if (name == "ignore") {
      std::vector<std::string> kinds;
      std::string err = run::parseKindList(value, kinds);
      if (!err.empty())
        return fail("run", err);
      o.ignore.clear();
      for (const auto& k : kinds)
        o.ignore += (o.ignore.empty() ? "" : ",") + k;
    } else if (name == "suppressions") {
      auto sup = std::make_shared<std::vector<run::Suppression>>();
      std::string err = run::readSuppressions(value, *sup);
      if (!err.empty())
        return fail("run", err);
      o.suppress = [sup](const Finding& f) {
        Finding copy = f;
        run::symbolize({&copy});
        return run::suppressed(*sup, copy);
      };
    } else if (name == "access-points") {
      if (value != "racy" && value != "all" && value != "none")
        throw UsageError{"--access-points must be racy, all or none, not '" + value + "'"};
      accessPoints = value;
    } else if (name == "race-pass") {
      racePass = num();
    } else {
      throw UsageError{"unknown option '--" + name + "'"};
    }
  }
  std::vector<std::string> program = p.program;
  if (!p.dashdash)
    program = p.positional;
  else if (!p.positional.empty())
    throw UsageError{"unexpected argument '" + p.positional[0] + "' before '--'"};
  if (program.empty())
    throw UsageError{"no program given (threadcheck run [options] -- <program> [args...])"};
  if (listTests && !gtest)
    throw UsageError{"--list-tests needs --gtest"};
  // A report that cannot be written is found out now, not after the exploration.
  if (!reportPath.empty())
    if (std::string err = run::checkWritable(reportPath); !err.empty())
      return fail("run", err);
  if (o.strategy == "dfs" && o.jobs > 1) {
    fprintf(stderr, "threadcheck run: note: dfs explores one tree; using --jobs=1\n");
    o.jobs = 1;
  }
  if (!seedGiven)
    o.seed = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) %
             1000000007ull;

  std::string error;
  o.runtimeLibrary = run::findRuntime(error);
  if (!error.empty())
    return fail("run", error);
  std::string resolved = resolveProgram(program[0], error);
  if (!error.empty())
    return fail("run", error);
  o.argv = program;
  o.argv[0] = resolved;
  run::InstrumentationCheck ic = run::checkInstrumentation(resolved, o.runtimeLibrary);
  if (!ic.error.empty())
    return fail("run", ic.error);
  if (ic.runtimeInside)
    o.runtimeLibrary.clear();
  if (ic.instrumented) {
    o.accessPoints = accessPoints;
    o.racePass = racePass;
  }
  if (gtest)
    return run::runGtest({o, outputDir, reportPath, listTests});
  if (!run::makeDirectories(outputDir))
    return fail("run", "cannot create the output directory '" + outputDir + "'");
  if (std::string err = run::checkWritable(outputDir + "/schedule.json"); !err.empty())
    return fail("run", "cannot write schedules to the output directory '" + outputDir +
                           "': " + err.substr(err.rfind(": ") + 2));

  o.threadlessIsError = true;
  run::Exploration x = run::exploreAndSave(
      o, outputDir, run::fileNamePart(resolved.substr(resolved.rfind('/') + 1)));
  ExploreResult& r = x.result;
  // A failure before anything ran (the program cannot start, nothing explored) is just that.
  if (!r.error.empty() && r.schedules == 0 && r.findings.empty()) {
    if (!reportPath.empty())
      run::writeJsonReport(reportPath, "error", r);
    return fail("run", r.error);
  }
  for (const auto& f : r.findings)
    run::printFinding(stdout, f, "threadcheck replay " + run::shellQuote(f.scheduleFile));
  fflush(stdout);
  const std::string& saveError = x.saveError;
  if (!saveError.empty())
    fprintf(stderr, "threadcheck run: error: %s\n", saveError.c_str());
  std::string outcome = !r.findings.empty()                 ? "bug"
                        : r.interrupted || !r.error.empty() ? "error"
                                                            : "clean";
  if (!reportPath.empty()) {
    std::string err = run::writeJsonReport(reportPath, outcome, r);
    if (!err.empty())
      return fail("run", err);
  }
  double rate = r.elapsed > 0 ? static_cast<double>(r.schedules) / r.elapsed : 0;
  std::string mode =
      o.accessPoints.empty() ? "" : ", instrumented (access points " + o.accessPoints + ")";
  fprintf(stderr,
          "threadcheck run: %llu schedule%s in %.2fs (%.0f/s), strategy %s%s, seed %llu: %zu "
          "finding%s%s%s%s\n",
          static_cast<unsigned long long>(r.schedules), r.schedules == 1 ? "" : "s", r.elapsed,
          rate, o.strategy.c_str(), mode.c_str(), static_cast<unsigned long long>(o.seed),
          r.findings.size(), r.findings.size() == 1 ? "" : "s",
          r.exhausted ? "; dfs explored every schedule within the preemption bound" : "",
          r.interrupted ? "; interrupted" : "",
          r.budgetStopped ? "; --time-budget reached: the schedule still running was stopped "
                            "unfinished"
                          : "");
  // The exploration broke off (its fork server died): what it found is real, but a run without
  // findings proves nothing.
  if (!r.error.empty()) {
    fail("run", r.error);
    return r.findings.empty() ? kExitError : kExitFinding;
  }
  if (!r.findings.empty())
    return kExitFinding;
  if (r.interrupted)
    return fail("run", "interrupted before any finding");
  return saveError.empty() ? kExitClean : kExitError;
}

int replayCommand(int argc, char** argv) {
  Parsed p = parseArgs(argc, argv, {});
  std::string reportPath;
  std::string programOverride;
  uint64_t timeoutMs = 10000;
  for (const auto& [name, value] : p.options) {
    if (name == "help") {
      fputs(kReplayUsage, stdout);
      return kExitClean;
    } else if (name == "program") {
      if (value.empty())
        throw UsageError{"--program needs a path"};
      programOverride = value;
    } else if (name == "report") {
      reportPath = value;
    } else if (name == "schedule-timeout") {
      auto v = parseSeconds(value);
      if (!v || *v <= 0)
        throw UsageError{"--schedule-timeout needs a positive number of seconds"};
      timeoutMs = static_cast<uint64_t>(*v * 1000);
    } else {
      throw UsageError{"unknown option '--" + name + "'"};
    }
  }
  if (p.positional.size() != 1)
    throw UsageError{"expected exactly one schedule file"};
  if (!reportPath.empty())
    if (std::string err = run::checkWritable(reportPath); !err.empty())
      return fail("replay", err);
  const std::string& file = p.positional[0];
  std::string error;
  auto s = run::readSchedule(file, error);
  if (!s)
    return fail("replay", error);
  if (p.dashdash && !programOverride.empty())
    throw UsageError{"give either --program or '-- <program> [args...]', not both"};
  std::vector<std::string> program = p.dashdash ? p.program : s->argv;
  if (program.empty())
    throw UsageError{"no program after '--'"};
  if (!programOverride.empty())
    program[0] = programOverride;
  ExploreOptions o;
  o.runtimeLibrary = run::findRuntime(error);
  if (!error.empty())
    return fail("replay", error);
  std::string resolved = resolveProgram(program[0], error);
  if (!error.empty())
    return fail("replay", error);
  if (programOverride.empty() && resolved != s->argv[0])
    return fail("replay", "schedule file '" + file + "' was recorded for '" + s->argv[0] +
                              "', not '" + resolved + "'");
  // A schedule file may come from elsewhere: never run an executable other than the recorded
  // one unless asked to.
  if (!programOverride.empty()) {
    fprintf(stderr,
            "threadcheck replay: warning: replaying against '%s' (--program), not the recorded "
            "'%s'; a rebuilt program may diverge\n",
            resolved.c_str(), s->argv[0].c_str());
  } else if (!s->identity.known()) {
    fprintf(stderr,
            "threadcheck replay: warning: schedule file '%s' records no program identity "
            "(written by an older threadcheck): '%s' is not checked\n",
            file.c_str(), resolved.c_str());
  } else {
    run::ProgramIdentity now = run::programIdentity(resolved, error);
    if (!now.known())
      return fail("replay", error);
    std::string diff = run::identityDifference(s->identity, now);
    if (!diff.empty())
      return fail("replay", "schedule file '" + file + "' was recorded for another program: " +
                                diff + " (--program=<path> replays against a rebuilt one)");
  }
  o.argv = program;
  o.argv[0] = resolved;
  run::InstrumentationCheck ic = run::checkInstrumentation(resolved, o.runtimeLibrary);
  if (!ic.error.empty())
    return fail("replay", ic.error);
  if (ic.runtimeInside)
    o.runtimeLibrary.clear();
  if (ic.instrumented != !s->accessPoints.empty())
    return fail("replay", "schedule file '" + file + "' was recorded for an " +
                              (ic.instrumented ? "uninstrumented" : "instrumented") +
                              " program, but '" + resolved + "' is " +
                              (ic.instrumented ? "instrumented" : "not"));
  o.accessPoints = s->accessPoints;
  o.racyPcs = s->racyPcs;
  o.strategy = "replay";
  o.iterations = 1;
  o.seed = s->seed;
  o.maxSteps = s->maxSteps ? s->maxSteps : o.maxSteps;
  o.livelockSteps = s->livelockSteps;
  o.timeSliceUs = s->timeSliceUs;
  o.scheduleTimeoutMs = timeoutMs;
  char tmpl[] = "/tmp/threadcheck-replay-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0)
    return fail("replay", std::string("cannot create a temporary file: ") + strerror(errno));
  std::string decisions;
  for (uint32_t d : s->decisions)
    decisions += std::to_string(d) + "\n";
  bool wrote =
      write(fd, decisions.data(), decisions.size()) == static_cast<ssize_t>(decisions.size());
  close(fd);
  if (!wrote) {
    unlink(tmpl);
    return fail("replay", "cannot write a temporary file");
  }
  o.replayFile = tmpl;
  std::string command;
  for (const auto& a : o.argv)
    command += (command.empty() ? "" : " ") + run::shellQuote(a);
  fprintf(stderr, "threadcheck replay: running: %s\n", command.c_str());
  ExploreResult r = run::explore(o, {});
  unlink(tmpl);
  if (!r.error.empty())
    return fail("replay", r.error);
  if (r.interrupted)
    return fail("replay", "interrupted");
  std::vector<Finding*> all;
  for (auto& f : r.findings) {
    f.scheduleFile = file;
    all.push_back(&f);
  }
  run::symbolize(all);
  int rc = kExitClean;
  if (r.findings.empty()) {
    fprintf(stderr,
            "threadcheck replay: the schedule ran clean: the saved %s does not happen "
            "any more\n",
            s->kind.c_str());
  } else {
    Finding& f = r.findings.front();
    if (f.kind == "divergence") {
      fprintf(stderr,
              "threadcheck replay: error: cannot reproduce '%s': %s (the program is not the one "
              "the schedule was recorded with, or it depends on time, randomness or input)\n",
              file.c_str(), f.message.c_str());
      rc = kExitError;
    } else {
      run::printFinding(stdout, f, "threadcheck replay " + run::shellQuote(file));
      fflush(stdout);
      if (f.kind == s->kind && f.traceHash == s->traceHash)
        fprintf(stderr, "threadcheck replay: reproduced: same finding (%s), same trace hash %s\n",
                f.kind.c_str(), f.traceHash.c_str());
      else
        fprintf(stderr,
                "threadcheck replay: warning: the replay found %s with trace hash %s; the "
                "schedule file recorded %s with trace hash %s\n",
                f.kind.c_str(), f.traceHash.c_str(), s->kind.c_str(), s->traceHash.c_str());
      rc = kExitFinding;
    }
  }
  if (!reportPath.empty()) {
    std::string err = run::writeJsonReport(reportPath,
                                           rc == kExitFinding ? "bug"
                                           : rc == kExitClean ? "clean"
                                                              : "error",
                                           r);
    if (!err.empty())
      return fail("replay", err);
  }
  return rc;
}

} // namespace

int runMain(int argc, char** argv) {
  try {
    return runCommand(argc, argv);
  } catch (const UsageError& e) {
    fprintf(stderr, "threadcheck run: error: %s\n%s", e.message.c_str(), kRunUsage);
    return kExitError;
  }
}

int replayMain(int argc, char** argv) {
  try {
    return replayCommand(argc, argv);
  } catch (const UsageError& e) {
    fprintf(stderr, "threadcheck replay: error: %s\n%s", e.message.c_str(), kReplayUsage);
    return kExitError;
  }
}

} // namespace threadcheck
