// threadcheck::explore: the exploration loop of the in-process mode (which schedule next, soft
// findings, dfs, verification replays) and the findings it hands back, saved as schedule files in
// the format `threadcheck run` writes and symbolised the same way.
#include "InProcess.h"
#include "Instrument.h"
#include "Raw.h"
#include "ScheduleLoop.h"
#include "Scheduler.h"
#include "run/Explorer.h"
#include "run/ScheduleFile.h"
#include "run/ShellQuote.h"
#include "run/Symbolizer.h"

#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <exception>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <sys/mman.h>
#include <threadcheck/threadcheck.hpp>
#include <typeinfo>
#include <unistd.h>

namespace threadcheck {
namespace {

namespace rt = threadcheck::rt;
using rt::FindingKind;
using rt::InProcess;
using rt::Scheduler;
using rt::SharedRecord;

// Steps in a row that only yield or spin before a schedule is a livelock (as `threadcheck run`).
constexpr uint64_t kLivelockSteps = 100000;
constexpr size_t kMaxOutput = 64 * 1024;

const char* strategyName(Strategy s) {
  switch (s) {
  case Strategy::Pct:
    return "pct";
  case Strategy::Pos:
    return "pos";
  case Strategy::Dfs:
    return "dfs";
  case Strategy::Random:
    break;
  }
  return "random";
}

rt::AccessPoints accessPoints(AccessPoints a) {
  return a == AccessPoints::All    ? rt::AccessPoints::All
         : a == AccessPoints::None ? rt::AccessPoints::None
                                   : rt::AccessPoints::Racy;
}

rt::StrategyKind strategyKind(Strategy s) {
  switch (s) {
  case Strategy::Pct:
    return rt::StrategyKind::Pct;
  case Strategy::Pos:
    return rt::StrategyKind::Pos;
  case Strategy::Dfs:
    return rt::StrategyKind::Dfs;
  case Strategy::Random:
    break;
  }
  return rt::StrategyKind::Random;
}

void validate(const Options& o) {
  auto bad = [](const std::string& what) {
    throw std::invalid_argument("threadcheck::explore: " + what);
  };
  if (o.iterations < 1 || o.iterations > 100000000)
    bad("iterations must be between 1 and 100000000, not " + std::to_string(o.iterations));
  if (o.strategy != Strategy::Random && o.strategy != Strategy::Pct &&
      o.strategy != Strategy::Pos && o.strategy != Strategy::Dfs)
    bad("strategy is not one of Random, Pct, Pos, Dfs");
  if (o.pct_depth < 1 || o.pct_depth > 17)
    bad("pct_depth must be between 1 and 17, not " + std::to_string(o.pct_depth));
  if (o.preemption_bound > 1000)
    bad("preemption_bound must be at most 1000, not " + std::to_string(o.preemption_bound));
  if (o.max_steps < 1 || o.max_steps > (uint64_t{1} << 32))
    bad("max_steps must be between 1 and 4294967296, not " + std::to_string(o.max_steps));
  if (!std::isfinite(o.time_budget) || o.time_budget < 0)
    bad("time_budget must be a finite number of seconds >= 0");
  if (!std::isfinite(o.schedule_timeout) || o.schedule_timeout < 0 || o.schedule_timeout > 86400)
    bad("schedule_timeout must be between 0 and 86400 seconds");
  if (o.output_dir.empty())
    bad("output_dir must not be empty");
  if (o.access_points != AccessPoints::Racy && o.access_points != AccessPoints::All &&
      o.access_points != AccessPoints::None)
    bad("access_points is not one of Racy, All, None");
  if (o.race_pass > 100000)
    bad("race_pass must be at most 100000, not " + std::to_string(o.race_pass));
}

std::string readFile(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> ownCommandLine() {
  std::vector<std::string> argv;
  std::string all = readFile("/proc/self/cmdline");
  for (size_t start = 0; start < all.size();) {
    size_t end = all.find('\0', start);
    if (end == std::string::npos)
      end = all.size();
    argv.push_back(all.substr(start, end - start));
    start = end + 1;
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    if (argv.empty())
      argv.emplace_back(exe);
    else
      argv[0] = exe;
  }
  return argv;
}

std::string fileSafe(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
      out += c;
    else if (!out.empty() && out.back() != '_')
      out += '_';
    if (out.size() >= 80)
      break;
  }
  while (!out.empty() && out.back() == '_')
    out.pop_back();
  return out.empty() ? "body" : out;
}

std::string hex16(uint64_t v) {
  char buf[20];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string demangle(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string s = status == 0 && d ? d : name;
  free(d);
  return s;
}

// Runs on the body's thread: an exception leaving the body is the body thread's uncaught
// exception, like one leaving any other thread.
struct BodyCall {
  std::function<void()>* body;
};

void recordThrow(const std::string& what) {
  int32_t self = Scheduler::self();
  char msg[1024];
  snprintf(msg, sizeof msg, "uncaught exception in thread %d '%s' (the body): %s", self,
           Scheduler::name(self), what.c_str());
  Scheduler::recordFinding(FindingKind::UncaughtException, &self, 1, msg);
}

void callBody(void* p) {
  auto* call = static_cast<BodyCall*>(p);
  try {
    (*call->body)();
  } catch (const std::exception& e) {
    recordThrow(demangle(typeid(e).name()) + ": " + e.what());
  } catch (...) {
    std::type_info* t = abi::__cxa_current_exception_type();
    recordThrow(t ? demangle(t->name()) : std::string("unknown exception"));
  }
}

// One schedule's outcome, copied out of the record before the next schedule overwrites it.
struct Outcome {
  InProcess::End end = InProcess::End::Returned;
  FindingKind kind = FindingKind::None;
  bool soft = false;
  uint64_t steps = 0;
  uint64_t hash = 0;
  uint32_t divergenceStep = 0;
};

class Explorer {
public:
  Explorer(const Options& o, std::function<void()>& body, std::string name)
      : o_(o), name_(std::move(name)), call_{&body} {
    command_ = o.command.empty() ? ownCommandLine() : o.command;
    if (o.capture_output)
      outFd_ = memfd_create("threadcheck-output", MFD_CLOEXEC);
  }
  ~Explorer() {
    if (outFd_ >= 0)
      close(outFd_);
  }

  Result run(SharedRecord* rec, const std::optional<run::Schedule>& replay,
             const std::string& replayPath);

private:
  Outcome runSchedule(uint64_t index) {
    if (outFd_ >= 0) {
      if (ftruncate(outFd_, 0) != 0) {
      }
      lseek(outFd_, 0, SEEK_SET);
    }
    prepareSchedule(rec_, o_.seed, index, longest_);
    uint64_t timeoutMs = static_cast<uint64_t>(o_.schedule_timeout * 1000);
    Outcome out;
    out.end = InProcess::run(callBody, &call_, timeoutMs);
    // The schedule's buffered output belongs to it (a dying process keeps its locks: no flush).
    if (out.end != InProcess::End::Fatal)
      fflush(nullptr);
    if (rec_->steps > longest_)
      longest_ = rec_->steps;
    out.steps = rec_->steps;
    out.hash = rec_->traceHash;
    out.divergenceStep = rec_->divergenceStep;
    if (rec_->kind != FindingKind::None) {
      out.kind = rec_->kind;
    } else if (rec_->raceMessage[0]) {
      out.kind = FindingKind::DataRace;
      out.soft = true;
    } else if (rec_->softMessage[0]) {
      out.kind = FindingKind::LockOrderInversion;
      out.soft = true;
    }
    return out;
  }

  // Runs schedule `index` again with the decisions the record holds now.
  Outcome replaySchedule(uint64_t index, const std::vector<uint32_t>& decisions) {
    rt::StrategyKind saved = rec_->strategy;
    std::vector<uint32_t> prefix(rec_->replay, rec_->replay + rec_->replayCount);
    rec_->strategy = rt::StrategyKind::Replay;
    rec_->replayCount = static_cast<uint32_t>(decisions.size());
    std::copy(decisions.begin(), decisions.end(), rec_->replay);
    Outcome out = runSchedule(index);
    rec_->strategy = saved;
    rec_->replayCount = static_cast<uint32_t>(prefix.size());
    std::copy(prefix.begin(), prefix.end(), rec_->replay);
    return out;
  }

  std::vector<uint32_t> decisions() const {
    return {rec_->decisions, rec_->decisions + std::min(rec_->ndecisions, rt::kMaxDecisions)};
  }

  std::string output() const {
    std::string out;
    if (outFd_ < 0)
      return out;
    off_t size = lseek(outFd_, 0, SEEK_END);
    off_t from = size > static_cast<off_t>(kMaxOutput) ? size - static_cast<off_t>(kMaxOutput) : 0;
    out.resize(static_cast<size_t>(size - from));
    ssize_t got = pread(outFd_, out.data(), out.size(), from);
    out.resize(got > 0 ? static_cast<size_t>(got) : 0);
    return out;
  }

  static run::Frame frameOf(uintptr_t pc) {
    run::Frame f;
    const char* module = nullptr;
    uintptr_t offset = 0;
    if (rt::moduleOf(pc, &module, &offset)) {
      f.module = module;
      f.offset = offset;
    } else {
      f.module = "?";
      f.offset = pc;
    }
    return f;
  }

  // The finding of the schedule that just ran, as `threadcheck run` would describe it.
  run::Finding capture(uint64_t index, const Outcome& out) const {
    run::Finding f;
    f.index = index;
    f.kind = rt::findingKindName(out.kind);
    f.seed = rec_->seed;
    f.steps = out.steps;
    f.traceHash = hex16(out.hash);
    f.decisions = decisions();
    f.output = output();
    if (rt::Instrument::instrumented()) {
      f.accessPoints = rt::accessPointsName(rec_->accessPoints);
      f.racyPcs.assign(rec_->racyPcs, rec_->racyPcs + std::min(rec_->racyCount, rt::kMaxRacyPcs));
    }
    auto thread = [&](uint32_t tid, const char* name, const rt::InvolvedThread* inv,
                      const char* access) {
      run::ThreadReport t;
      t.id = static_cast<int>(tid);
      t.name = std::string(name, strnlen(name, rt::kNameLen));
      if (inv)
        for (uint32_t k = 0; k < inv->nframes && k < rt::kMaxFrames; ++k)
          t.stack.push_back(frameOf(inv->frames[k]));
      if (access)
        t.access = access;
      f.threads.push_back(std::move(t));
    };
    if (out.soft && out.kind == FindingKind::DataRace) {
      f.message = rec_->raceMessage;
      for (uint32_t i = 0; i < 2; ++i)
        thread(rec_->raceInvolved[i].tid, rec_->raceInvolved[i].name, &rec_->raceInvolved[i],
               rec_->raceAccess[i]);
      // A global: the symboliser names the variable from the module's symbols and debug info.
      const char* module = nullptr;
      uintptr_t offset = 0;
      if (rt::moduleOf(rec_->raceAddr, &module, &offset)) {
        f.raceModule = module;
        f.raceOffset = offset;
      }
    } else if (out.soft) {
      f.message = rec_->softMessage;
      for (uint32_t i = 0; i < rec_->nsoftInvolved && i < 2; ++i) {
        const rt::InvolvedThread& st = rec_->softStacks[i];
        thread(st.tid, st.name, &st, nullptr);
      }
    } else {
      f.message = rec_->message;
      for (uint32_t i = 0; i < rec_->ninvolved && i < rt::kMaxInvolved; ++i)
        thread(rec_->involved[i].tid, rec_->involved[i].name, &rec_->involved[i], nullptr);
    }
    return f;
  }

  // Saves (if `save`), symbolises and converts; the schedule file is on disk before anything is
  // printed.
  Finding report(run::Finding& f, bool save) {
    Finding out;
    if (save)
      saveSchedule(f, out);
    run::symbolize({&f});
    out.kind = f.kind;
    out.message = f.message;
    out.schedule_index = f.index;
    out.schedule_seed = f.seed;
    out.steps = f.steps;
    out.trace_hash = f.traceHash;
    out.output = f.output;
    for (const auto& t : f.threads) {
      Thread th;
      th.id = t.id;
      th.name = t.name;
      th.access = t.access;
      for (const auto& fr : t.stack)
        th.stack.push_back(Frame{fr.function, fr.file, fr.line, fr.module, fr.offset});
      out.threads.push_back(std::move(th));
    }
    return out;
  }

  void saveSchedule(run::Finding& f, Finding& out) const {
    std::error_code ec;
    std::filesystem::create_directories(o_.output_dir, ec);
    std::string base = fileSafe(name_) + "-" + f.kind + "-seed" + std::to_string(o_.seed) + "-" +
                       std::to_string(f.index) + ".json";
    std::string path = std::filesystem::absolute(o_.output_dir + "/" + base, ec).string();
    run::Schedule s;
    s.argv = command_;
    s.strategy = strategyName(o_.strategy);
    s.seed = o_.seed;
    s.scheduleIndex = f.index;
    s.scheduleSeed = f.seed;
    s.maxSteps = o_.max_steps;
    s.decisions = f.decisions;
    s.steps = f.steps;
    s.traceHash = f.traceHash;
    s.kind = f.kind;
    s.message = f.message;
    s.test = name_;
    // The process that replays it loads the modules elsewhere: the racy set is kept as module and
    // offset.
    s.accessPoints = f.accessPoints;
    for (uint64_t pc : f.racyPcs) {
      const char* module = nullptr;
      uintptr_t offset = 0;
      if (rt::moduleOf(pc, &module, &offset))
        s.racySites.push_back({module, offset});
    }
    std::string err = run::writeSchedule(path, s, f);
    if (!err.empty()) {
      f.message += " (the schedule could not be saved: " + err + ")";
      return;
    }
    f.scheduleFile = path;
    out.schedule_file = path;
    out.replay_command = "THREADCHECK_REPLAY=" + run::shellQuote(path);
    for (const auto& a : command_)
      out.replay_command += " " + run::shellQuote(a);
  }

  void announce(const Finding& f) const {
    if (o_.print)
      writeStderr(f.report());
  }

  // The test's stderr, also while the schedules' output is captured.
  static void writeStderr(const std::string& text) {
    int fd = InProcess::realStderr();
    rt::rawWrite(fd, text.data(), text.size()); // write() is intercepted
  }

public:
  int outputFd() const { return outFd_; }

private:
  const Options& o_;
  std::string name_;
  BodyCall call_;
  std::vector<std::string> command_;
  int outFd_ = -1;
  SharedRecord* rec_ = nullptr;
  uint64_t longest_ = 0;
};

Result Explorer::run(SharedRecord* rec, const std::optional<run::Schedule>& replay,
                     const std::string& replayPath) {
  rec_ = rec;
  Result result;
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  rec->pctDepth = o_.pct_depth;
  rec->preemptionBound = o_.preemption_bound;
  rec->maxSteps = o_.max_steps;
  rec->livelockSteps = kLivelockSteps;
  rec->timeSliceUs = 0; // no time slices in-process (docs/inprocess.md)
  rec->replayCount = 0;
  rec->accessPoints = accessPoints(o_.access_points);
  rec->racyCount = 0;
  rec->strategy = strategyKind(o_.strategy);

  // A fatal finding (crash, exit) ends the process once it is saved and printed, whatever
  // `print` says: nobody gets the result.
  auto fatal = [&](uint64_t index, const Outcome& out) {
    run::Finding f = capture(index, out);
    writeStderr(report(f, true).report());
    InProcess::fatalReported();
  };

  if (replay) {
    result.replayed = true;
    rec->strategy = rt::StrategyKind::Replay;
    if (!replay->accessPoints.empty()) {
      rec->accessPoints = rt::accessPointsNamed(replay->accessPoints.c_str());
      // explore() resolved the saved locations to this process's addresses.
      rec->racyCount = static_cast<uint32_t>(replay->racyPcs.size());
      std::copy(replay->racyPcs.begin(), replay->racyPcs.end(), rec->racyPcs);
    }
    Outcome out = replaySchedule(replay->scheduleIndex, replay->decisions);
    result.schedules = 1;
    if (out.end == InProcess::End::Fatal)
      fatal(replay->scheduleIndex, out);
    if (out.kind == FindingKind::Limit) {
      result.error = rec_->message;
    } else if (out.kind == FindingKind::Divergence) {
      result.error = "replay of '" + replayPath + "' diverged at decision " +
                     std::to_string(out.divergenceStep) +
                     ": the body took another path than the saved schedule (it was changed, or "
                     "it depends on the clock, random numbers or state left by earlier runs)";
    } else if (out.kind != FindingKind::None) {
      run::Finding f = capture(replay->scheduleIndex, out);
      Finding pub = report(f, false);
      pub.schedule_file = replayPath;
      pub.verified = true;
      pub.reproduced = f.kind == replay->kind && f.traceHash == replay->traceHash;
      announce(pub);
      result.findings.push_back(std::move(pub));
    }
    result.elapsed = elapsed();
    return result;
  }

  std::optional<run::Finding> pendingSoft;
  bool softVerified = false;
  bool softReproduced = false;
  uint64_t softLeft = 0;
  rt::RacePass pass(rt::Instrument::instrumented() && o_.access_points == AccessPoints::Racy,
                    o_.race_pass, rec->strategy);
  for (uint64_t i = 0; i < o_.iterations; ++i) {
    if (o_.time_budget > 0 && elapsed() >= o_.time_budget)
      break;
    if (pendingSoft && softLeft-- == 0)
      break;
    bool inPass = pass.prepare(rec_);
    Outcome out = runSchedule(i);
    ++result.schedules;
    if (out.end == InProcess::End::Fatal)
      fatal(i, out);
    bool dfs = o_.strategy == Strategy::Dfs;
    std::vector<uint32_t> taken = decisions();
    // The dfs prefix of the next schedule, computed before a verification replay reuses the
    // record (in the race-detection pass, by the pass).
    bool dfsMore = dfs && !inPass && rt::nextDfsPrefix(rec_);
    if (inPass)
      pass.after(rec_);
    if (out.kind == FindingKind::Limit) {
      result.error = rec_->message;
      break;
    }
    if (out.kind == FindingKind::Divergence) {
      // Only dfs follows a prefix outside a replay: the body went elsewhere under it.
      result.error = "the body is not re-runnable: schedule " + std::to_string(i) +
                     " could not follow the decisions of the schedule it extends (diverged at "
                     "decision " +
                     std::to_string(out.divergenceStep) +
                     "); explore() needs a body that starts from the same state every time";
      break;
    }
    if (out.kind != FindingKind::None) {
      run::Finding f = capture(i, out);
      if (out.soft && !o_.keep_going) {
        if (!pendingSoft) {
          pendingSoft = std::move(f);
          softLeft = rt::kSoftGrace;
          // Verified now, while the record still holds this schedule's scheduling points.
          if (o_.verify) {
            Outcome again = replaySchedule(i, taken);
            if (again.end == InProcess::End::Fatal)
              fatal(i, again);
            softVerified = true;
            softReproduced = again.kind == out.kind && again.hash == out.hash;
          }
        }
      } else {
        bool timeout = out.end == InProcess::End::Timeout;
        Finding pub = report(f, true);
        if (o_.verify && !timeout) {
          Outcome again = replaySchedule(i, taken);
          if (again.end == InProcess::End::Fatal)
            fatal(i, again);
          pub.verified = true;
          pub.reproduced = again.kind == out.kind && again.hash == out.hash;
        }
        announce(pub);
        result.findings.push_back(std::move(pub));
        pendingSoft.reset();
        // A schedule that timed out left a thread inside the program: no more schedules.
        if (!o_.keep_going || timeout)
          break;
      }
    } else if (i == 1 && o_.verify && out.kind == FindingKind::None) {
      // One-time initialisation happens in schedule 0; from then on the same decisions must give
      // the same run.
      Outcome again = replaySchedule(i, taken);
      if (again.end == InProcess::End::Fatal)
        fatal(i, again);
      if (again.kind != FindingKind::None || again.hash != out.hash) {
        std::string how = again.kind == FindingKind::Divergence
                              ? "diverged at decision " + std::to_string(again.divergenceStep)
                          : again.kind != FindingKind::None
                              ? std::string("ended with ") + rt::findingKindName(again.kind)
                              : "took another path (trace hash " + hex16(out.hash) + ", then " +
                                    hex16(again.hash) + ")";
        result.error = "the body is not re-runnable: schedule 1 run again with its own decisions " +
                       how +
                       "; explore() needs a body that starts from the same state every time "
                       "(reset globals and statics it changes, join every thread it starts)";
        break;
      }
    }
    if (dfs && !inPass && !dfsMore) {
      result.exhausted = true;
      break;
    }
  }
  if (pendingSoft) {
    Finding pub = report(*pendingSoft, true);
    pub.verified = softVerified;
    pub.reproduced = softReproduced;
    announce(pub);
    result.findings.push_back(std::move(pub));
  }
  result.elapsed = elapsed();
  return result;
}

std::string defaultName(const std::source_location& where) {
  std::string file = where.file_name();
  auto slash = file.rfind('/');
  if (slash != std::string::npos)
    file = file.substr(slash + 1);
  return std::string(where.function_name()) + " in " + file;
}

std::string locationOf(const Frame& f) {
  std::string s = f.function.empty() ? "??" : f.function;
  if (!f.file.empty())
    s += " at " + f.file + ":" + std::to_string(f.line);
  else if (!f.module.empty()) {
    char buf[32];
    snprintf(buf, sizeof buf, "+0x%llx", static_cast<unsigned long long>(f.offset));
    s += " (" + f.module + buf + ")";
  }
  return s;
}

} // namespace

std::string Finding::report() const {
  std::string s = "threadcheck: " + kind + " in schedule " + std::to_string(schedule_index) +
                  " (schedule seed " + std::to_string(schedule_seed) + ", " +
                  std::to_string(steps) + " steps)\n  " + message + "\n";
  for (const auto& t : threads) {
    if (t.access.empty())
      s += "  thread " + std::to_string(t.id) + " '" + t.name + "':\n";
    else
      s += "  " + t.access + ":\n";
    if (t.stack.empty())
      s += "    (no stack)\n";
    for (size_t i = 0; i < t.stack.size(); ++i)
      s += "    #" + std::to_string(i) + " " + locationOf(t.stack[i]) + "\n";
  }
  if (!output.empty()) {
    s += "  output of the schedule:\n";
    size_t start = 0;
    while (start < output.size()) {
      size_t nl = output.find('\n', start);
      if (nl == std::string::npos)
        nl = output.size();
      s += "    | " + output.substr(start, nl - start) + "\n";
      start = nl + 1;
    }
  }
  if (!schedule_file.empty()) {
    s += "  schedule saved to " + schedule_file + "\n";
    s += "  replay it: " + replay_command + "\n";
  }
  if (reproduced)
    s += "  replayed from the saved schedule: same finding, same trace\n";
  else if (verified)
    s += "  warning: replaying the saved schedule did not give the same finding and trace: the "
         "body depends on something besides the schedule (the clock, random numbers, state kept "
         "between runs)\n";
  return s;
}

std::string Result::report() const {
  std::string s;
  for (const auto& f : findings)
    s += f.report();
  if (!error.empty())
    s += "threadcheck: error: " + error + "\n";
  char buf[160];
  snprintf(buf, sizeof buf, "threadcheck: %llu schedule%s in %.2fs%s: %zu finding%s\n",
           static_cast<unsigned long long>(schedules), schedules == 1 ? "" : "s", elapsed,
           replayed    ? " (replay)"
           : exhausted ? " (every schedule within the bound)"
                       : "",
           findings.size(), findings.size() == 1 ? "" : "s");
  return s + buf;
}

Result explore(const Options& options, std::function<void()> body, std::source_location where) {
  validate(options);
  if (!body)
    throw std::invalid_argument("threadcheck::explore: the body is empty");
  std::string name = options.name.empty() ? defaultName(where) : options.name;
  std::string replayPath = options.replay;
  if (replayPath.empty())
    if (const char* env = getenv("THREADCHECK_REPLAY"); env && *env)
      replayPath = env;
  std::optional<run::Schedule> replay;
  if (!replayPath.empty()) {
    std::string error;
    replay = run::readSchedule(replayPath, error);
    if (!replay)
      throw std::invalid_argument("threadcheck::explore: " + error);
    if (replay->test.empty())
      throw std::invalid_argument("threadcheck::explore: schedule file '" + replayPath +
                                  "' was saved by `threadcheck run`, not by explore(); replay it "
                                  "with `threadcheck replay " +
                                  replayPath + "`");
    if (replay->test != name)
      throw std::invalid_argument("threadcheck::explore: schedule file '" + replayPath +
                                  "' was saved by test '" + replay->test + "', not by '" + name +
                                  "'");
    if (replay->decisions.size() > rt::kMaxDecisions)
      throw std::invalid_argument("threadcheck::explore: schedule file '" + replayPath +
                                  "' has more decisions than a schedule can take");
    if (!replay->accessPoints.empty() && !rt::Instrument::programInstrumented())
      throw std::invalid_argument("threadcheck::explore: schedule file '" + replayPath +
                                  "' was saved by an instrumented build of the test (compiled "
                                  "with -fsanitize=thread); this build has no instrumented code");
    replay->racyPcs.clear();
    for (const auto& site : replay->racySites) {
      uintptr_t base = 0;
      if (replay->racyPcs.size() >= rt::kMaxRacyPcs || !rt::moduleBase(site.module.c_str(), &base))
        throw std::invalid_argument("threadcheck::explore: schedule file '" + replayPath +
                                    "' preempts at code in '" + site.module +
                                    "', which this process has not loaded");
      replay->racyPcs.push_back(base + site.offset);
    }
  }
  Explorer explorer(options, body, name);
  const char* why = nullptr;
  SharedRecord* rec = InProcess::begin(&why, explorer.outputFd());
  if (!rec) {
    if (Scheduler::record() && !Scheduler::inProcess()) {
      // Under `threadcheck run`: the outer run explores; the body runs once as the program.
      Result r;
      r.schedules = 1;
      body();
      return r;
    }
    throw std::logic_error(std::string("threadcheck::explore: ") + why);
  }
  struct Finish {
    ~Finish() { InProcess::finish(); }
  } finish;
  return explorer.run(rec, replay, replayPath);
}

void fail(const std::string& message) {
  if (!Scheduler::inProcess() || !Scheduler::member())
    throw std::logic_error("threadcheck::fail called outside an explored body: " + message);
  int32_t self = Scheduler::self();
  char msg[1024];
  snprintf(msg, sizeof msg, "assertion failed in thread %d '%s': %s", self, Scheduler::name(self),
           message.c_str());
  Scheduler::recordFinding(FindingKind::Assertion, &self, 1, msg);
  InProcess::endSchedule();
}

bool exploring() {
  return Scheduler::inProcess() && Scheduler::member();
}

} // namespace threadcheck
