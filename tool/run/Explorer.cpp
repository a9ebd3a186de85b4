#include "Explorer.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <sstream>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <threadcheck/Protocol.h>
#include <time.h>
#include <unistd.h>

namespace threadcheck::run {
namespace {

constexpr int kChildFd = 197; // where the program finds the pipe (an fd it is unlikely to use)
std::atomic<bool> g_stop{false};

std::string unescape(const std::string& s) {
  if (s == "%00")
    return "";
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string tok;
  while (in >> tok)
    out.push_back(tok);
  return out;
}

uint64_t toU64(const std::string& s) {
  return strtoull(s.c_str(), nullptr, 10);
}

struct Job {
  pid_t pid = -1;
  int msgFd = -1;
  int outFd = -1; // the program's own stdout/stderr before it forks (memfd)
  // Becomes readable when the process we started (the fork server, once it said hello) ends,
  // even while schedule children it leaves behind keep the pipe open.
  int pidFd = -1;
  bool exited = false;
  std::string buf;
  bool loaded = false; // the runtime announced itself (it is in the program)
  bool hello = false;
  bool done = false;
  bool eof = false;
  int status = 0;
};

std::string readAll(int fd) {
  std::string out;
  off_t size = lseek(fd, 0, SEEK_END);
  if (size <= 0)
    return out;
  out.resize(static_cast<size_t>(size));
  ssize_t n = pread(fd, out.data(), out.size(), 0);
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

// Parses one finding block; `pos` is the start of the block. Returns false if incomplete.
bool parseFinding(const std::string& buf, size_t& pos, Finding& f) {
  size_t p = pos;
  auto nextLine = [&](std::string& line) {
    size_t nl = buf.find('\n', p);
    if (nl == std::string::npos)
      return false;
    line = buf.substr(p, nl - p);
    p = nl + 1;
    return true;
  };
  std::string line;
  if (!nextLine(line))
    return false;
  f.index = toU64(split(line).at(1));
  for (;;) {
    if (!nextLine(line))
      return false;
    auto t = split(line);
    if (t.empty())
      continue;
    const std::string& key = t[0];
    if (key == "kind")
      f.kind = t.at(1);
    else if (key == "seed")
      f.seed = toU64(t.at(1));
    else if (key == "steps")
      f.steps = toU64(t.at(1));
    else if (key == "hash")
      f.traceHash = t.at(1);
    else if (key == "status") {
      f.exitCode = std::stoi(t.at(1));
      f.signal = std::stoi(t.at(2));
    } else if (key == "divergence")
      f.divergenceAt = static_cast<int64_t>(toU64(t.at(1)));
    else if (key == "message")
      f.message = unescape(t.size() > 1 ? t[1] : "");
    else if (key == "decisions") {
      for (size_t i = 2; i < t.size(); ++i)
        f.decisions.push_back(static_cast<uint32_t>(toU64(t[i])));
    } else if (key == "access-points") {
      f.accessPoints = t.at(1);
    } else if (key == "racy") {
      for (size_t i = 1; i < t.size(); ++i)
        f.racyPcs.push_back(strtoull(t[i].c_str(), nullptr, 16));
    } else if (key == "race-addr") {
      f.raceModule = unescape(t.at(1));
      f.raceOffset = strtoull(t.at(2).c_str(), nullptr, 16);
    } else if (key == "access" && !f.threads.empty()) {
      f.threads.back().access = unescape(t.size() > 1 ? t[1] : "");
    } else if (key == "thread") {
      ThreadReport tr;
      tr.id = std::stoi(t.at(1));
      tr.name = unescape(t.size() > 2 ? t[2] : "");
      f.threads.push_back(tr);
    } else if ((key == "frame" || key == "created") && !f.threads.empty()) {
      Frame fr;
      fr.module = unescape(t.at(1));
      fr.offset = strtoull(t.at(2).c_str(), nullptr, 16);
      (key == "frame" ? f.threads.back().stack : f.threads.back().created).push_back(fr);
    } else if (key == "event") {
      EventReport e;
      e.step = toU64(t.at(1));
      e.tid = std::stoi(t.at(2));
      e.threadName = unescape(t.at(3));
      e.op = t.at(4);
      e.objKind = unescape(t.at(5));
      e.objId = static_cast<uint32_t>(toU64(t.at(6)));
      if (t.size() > 7)
        e.result = unescape(t[7]);
      f.events.push_back(e);
    } else if (key == "output") {
      size_t n = toU64(t.at(1));
      if (buf.size() < p + n)
        return false;
      f.output = buf.substr(p, n);
      p += n;
    } else if (key == "finding-end") {
      pos = p;
      return true;
    }
  }
}

// "exited with status 3", "was killed by signal 9 (Killed)" for a wait status.
std::string describeEnd(int status) {
  if (WIFSIGNALED(status))
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

void onSigint(int) {
  g_stop = true;
}

} // namespace

void requestStop() {
  g_stop = true;
}

ExploreResult explore(const ExploreOptions& o, const ExploreCallbacks& cb) {
  namespace proto = threadcheck::protocol;
  ExploreResult r;
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  uint64_t nowNs =
      static_cast<uint64_t>(now.tv_sec) * 1000000000ull + static_cast<uint64_t>(now.tv_nsec);
  uint64_t deadlineNs = o.timeBudget > 0 ? nowNs + static_cast<uint64_t>(o.timeBudget * 1e9) : 0;

  // SIGTERM (CI cancelling a job, a kill) stops the run as Ctrl-C does: the explorers are killed
  // and reaped, and what was found is saved and reported.
  struct sigaction sa{}, oldInt{}, oldTerm{};
  sa.sa_handler = onSigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &oldInt);
  sigaction(SIGTERM, &sa, &oldTerm);
  g_stop = false;

  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  std::vector<Job> jobs(o.jobs);
  for (unsigned j = 0; j < o.jobs; ++j) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      r.error = std::string("cannot create a pipe: ") + strerror(errno);
      return r;
    }
    Job& job = jobs[j];
    job.msgFd = fds[0];
    job.outFd = memfd_create("threadcheck-prologue", MFD_CLOEXEC);
    std::vector<std::string> env;
    auto add = [&](const char* k, const std::string& v) {
      env.push_back(std::string(k) + "=" + v);
    };
    add(proto::kEnvFd, std::to_string(kChildFd));
    add(proto::kEnvStrategy, o.strategy);
    add(proto::kEnvSeed, std::to_string(o.seed));
    add(proto::kEnvIterations, std::to_string(o.iterations));
    add(proto::kEnvJob, std::to_string(j));
    add(proto::kEnvJobs, std::to_string(o.jobs));
    add(proto::kEnvCpu, std::to_string(ncpu > 0 ? j % static_cast<unsigned>(ncpu) : 0));
    add(proto::kEnvPctDepth, std::to_string(o.pctDepth));
    add(proto::kEnvPreemptionBound, std::to_string(o.preemptionBound));
    add(proto::kEnvMaxSteps, std::to_string(o.maxSteps));
    add(proto::kEnvLivelockSteps, std::to_string(o.livelockSteps));
    add(proto::kEnvTimeSliceUs, std::to_string(o.timeSliceUs));
    if (!o.ignore.empty())
      add(proto::kEnvIgnore, o.ignore);
    add(proto::kEnvScheduleTimeoutMs, std::to_string(o.scheduleTimeoutMs));
    // With suppressions the explorer, not the runtime, decides which finding ends the run.
    add(proto::kEnvKeepGoing, o.keepGoing || o.suppress ? "1" : "0");
    if (deadlineNs)
      add(proto::kEnvDeadlineNs, std::to_string(deadlineNs));
    if (!o.replayFile.empty())
      add(proto::kEnvReplayFile, o.replayFile);
    if (!o.accessPoints.empty()) {
      add(proto::kEnvAccessPoints, o.accessPoints);
      add(proto::kEnvRacePass, std::to_string(o.racePass));
      std::string pcs;
      char hex[24];
      for (uint64_t pc : o.racyPcs) {
        snprintf(hex, sizeof hex, "%s%llx", pcs.empty() ? "" : ",",
                 static_cast<unsigned long long>(pc));
        pcs += hex;
      }
      if (!pcs.empty())
        add(proto::kEnvRacyPcs, pcs);
    }
    if (!o.runtimeLibrary.empty()) {
      const char* pre = getenv("LD_PRELOAD");
      add("LD_PRELOAD", o.runtimeLibrary + (pre && *pre ? std::string(":") + pre : ""));
    }

    std::vector<char*> argv;
    for (const auto& a : o.argv)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
      setpgid(0, 0);
      // Addresses must be the same in every schedule and in replays.
      personality(ADDR_NO_RANDOMIZE);
      dup2(fds[1], kChildFd);
      if (job.outFd >= 0) {
        dup2(job.outFd, 1);
        dup2(job.outFd, 2);
      }
      for (auto& e : env)
        putenv(e.data());
      signal(SIGINT, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    close(fds[1]);
    if (pid < 0) {
      r.error = std::string("cannot start the program: ") + strerror(errno);
      return r;
    }
    job.pid = pid;
    job.pidFd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  }

  auto killAll = [&] {
    for (auto& job : jobs)
      if (job.pid > 0 && !job.eof)
        killpg(job.pid, SIGKILL);
  };
  bool stopping = false;
  // Without --keep-going: a thread leak is reported once and the search goes on; a soft finding
  // (data race, lock-order inversion) waits kSoftGrace schedules for one that really fails. The
  // runtime does this itself, except with suppressions (it then reports everything).
  constexpr uint64_t kSoftGrace = 200;
  bool leakSeen = false;
  bool stoppedByFinding = false;
  std::optional<Finding> pendingSoft;
  uint64_t softLeft = 0;
  auto deliver = [&](Finding f) {
    if (cb.onFinding)
      cb.onFinding(f);
    bool leak = f.kind == "thread-leak";
    r.findings.push_back(std::move(f));
    if (!o.keepGoing && !stopping && !leak) {
      stopping = true;
      stoppedByFinding = true;
      killAll();
    }
  };
  // The runtime stops a schedule still running at the budget itself; this is the backstop for
  // a program that does not get to its first thread (or a fork server that does not answer).
  uint64_t hardDeadlineMs =
      o.timeBudget > 0 ? static_cast<uint64_t>(o.timeBudget * 1000) + 5000 : 0;
  // Reads what a job's pipe holds and acts on every complete message.
  auto consume = [&](Job& job) {
    char tmp[65536];
    ssize_t n = read(job.msgFd, tmp, sizeof tmp);
    if (n > 0)
      job.buf.append(tmp, static_cast<size_t>(n));
    else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
      job.eof = true;
    size_t pos = 0;
    for (;;) {
      if (job.buf.compare(pos, 13, "finding-begin") == 0) {
        Finding f;
        size_t p = pos;
        if (!parseFinding(job.buf, p, f))
          break;
        pos = p;
        f.prologue = readAll(job.outFd);
        // With suppressions the runtime ran ahead: what it found after the finding that ended
        // the run is not reported.
        if (o.suppress && stoppedByFinding && !o.keepGoing)
          continue;
        if (o.suppress && o.suppress(f)) {
          ++r.suppressed;
          continue;
        }
        if (o.suppress && !o.keepGoing) {
          if (f.kind == "thread-leak") {
            if (!leakSeen)
              deliver(std::move(f));
            leakSeen = true;
            continue;
          }
          if (f.kind == "data-race" || f.kind == "lock-order-inversion") {
            if (!pendingSoft) {
              pendingSoft = std::move(f);
              softLeft = kSoftGrace;
            }
            continue;
          }
          pendingSoft.reset();
        }
        deliver(std::move(f));
        continue;
      }
      size_t nl = job.buf.find('\n', pos);
      if (nl == std::string::npos)
        break;
      auto t = split(job.buf.substr(pos, nl - pos));
      pos = nl + 1;
      if (t.empty())
        continue;
      if (t[0] == "loaded") {
        job.loaded = true;
      } else if (t[0] == "hello") {
        job.hello = true;
      } else if (t[0] == "sched") {
        ++r.schedules;
        if (pendingSoft && softLeft-- == 0) {
          Finding f = std::move(*pendingSoft);
          pendingSoft.reset();
          deliver(std::move(f));
        }
        if (cb.onProgress)
          cb.onProgress(r.schedules, r.findings.size(), elapsed());
      } else if (t[0] == "budget-stop") {
        r.budgetStopped = true;
      } else if (t[0] == "done") {
        job.done = true;
        if (t.size() > 2 && t[2] == "1")
          r.exhausted = true;
      } else if (t[0] == "error") {
        r.error = "the explorer failed: " + (t.size() > 1 ? t[1] : std::string("?"));
      }
    }
    job.buf.erase(0, pos);
  };
  auto serverDied = [&](const std::string& how) {
    return "the fork server of '" + o.argv[0] + "' (its process at the first thread, which " +
           "runs the schedules) " + how + " after " + std::to_string(r.schedules) + " schedule" +
           (r.schedules == 1 ? "" : "s") + " (killed from outside, or by the program " +
           "signalling its parent or process group): the exploration is incomplete";
  };
  // The process we started ended. If it had become the fork server and not said "done", it died
  // (killed from outside, or by the program: kill(getppid(), ...) in a schedule): the run is
  // incomplete, whatever it found so far, and is never reported as clean.
  auto onExit = [&](Job& job) {
    job.exited = true;
    // It wrote everything it sent before it ended: take that in first.
    for (pollfd p{job.msgFd, POLLIN, 0}; !job.eof && poll(&p, 1, 0) > 0; p.revents = 0)
      consume(job);
    if (!job.hello || job.done)
      return;
    // Schedules it left behind would run on with nobody to stop them.
    killpg(job.pid, SIGKILL);
    if (stopping)
      return; // killed by us
    siginfo_t si{};
    std::string how = "ended";
    if (waitid(P_PID, static_cast<id_t>(job.pid), &si, WEXITED | WNOWAIT) == 0)
      how = describeEnd(si.si_code == CLD_EXITED ? W_EXITCODE(si.si_status, 0) : si.si_status);
    r.error = serverDied(how);
    stopping = true;
    killAll();
  };
  for (;;) {
    std::vector<pollfd> pfds;
    std::vector<size_t> which;
    std::vector<bool> isExit;
    for (size_t j = 0; j < jobs.size(); ++j) {
      if (!jobs[j].eof) {
        pfds.push_back(pollfd{jobs[j].msgFd, POLLIN, 0});
        which.push_back(j);
        isExit.push_back(false);
      }
      if (!jobs[j].exited && jobs[j].pidFd >= 0) {
        pfds.push_back(pollfd{jobs[j].pidFd, POLLIN, 0});
        which.push_back(j);
        isExit.push_back(true);
      }
    }
    bool open = false;
    for (const auto& job : jobs)
      open = open || !job.eof;
    if (!open)
      break;
    int pr = poll(pfds.data(), pfds.size(), 100);
    if (g_stop && !stopping) {
      r.interrupted = true;
      stopping = true;
      killAll();
    }
    if (hardDeadlineMs && elapsed() * 1000 > static_cast<double>(hardDeadlineMs) && !stopping) {
      stopping = true;
      r.budgetStopped = true;
      killAll();
    }
    if (pr <= 0)
      continue;
    for (size_t k = 0; k < pfds.size(); ++k) {
      if (!(pfds[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      Job& job = jobs[which[k]];
      if (isExit[k]) {
        if (!job.exited)
          onExit(job);
      } else if (!job.eof) {
        consume(job);
      }
    }
  }
  if (pendingSoft)
    deliver(std::move(*pendingSoft));
  for (auto& job : jobs) {
    int status = 0;
    while (waitpid(job.pid, &status, 0) < 0 && errno == EINTR) {
    }
    job.status = status;
    close(job.msgFd);
    if (job.pidFd >= 0)
      close(job.pidFd);
    // Its pipe can close before its end shows on the pidfd: the same verdict as onExit's.
    if (!job.exited && job.hello && !job.done && !stopping && r.error.empty())
      r.error = serverDied(describeEnd(status));
  }
  // A program that never starts a thread runs once, natively; its exit is its only outcome.
  for (auto& job : jobs) {
    if (job.hello || r.interrupted || stopping)
      continue;
    if (WIFEXITED(job.status) && WEXITSTATUS(job.status) == 127 && readAll(job.outFd).empty()) {
      r.error = "cannot execute '" + o.argv[0] + "'";
      break;
    }
    if (WIFEXITED(job.status) && WEXITSTATUS(job.status) == 125) {
      r.error = "the runtime failed in '" + o.argv[0] + "': " + readAll(job.outFd);
      while (!r.error.empty() && r.error.back() == '\n')
        r.error.pop_back();
      break;
    }
    if (!job.loaded) {
      // The program ran, but not with the runtime in it: whatever it did was not explored.
      std::string why;
      std::string out = readAll(job.outFd);
      size_t at = out.find("ld.so: object");
      if (at != std::string::npos) {
        size_t begin = out.rfind('\n', at);
        begin = begin == std::string::npos ? 0 : begin + 1;
        why = ": " + out.substr(begin, out.find('\n', at) - begin);
        while (!why.empty() && why.back() == '.')
          why.pop_back();
      } else {
        why = " (a set-user-ID program, or one that clears LD_PRELOAD or starts itself anew " +
              std::string("without it?)");
      }
      r.error = "threadcheck's runtime was not loaded into '" + o.argv[0] + "'" + why +
                "; nothing explored (the program " + describeEnd(job.status) + ")";
      break;
    }
    bool failed = WIFSIGNALED(job.status) || WEXITSTATUS(job.status) != 0;
    if (o.threadlessIsError) {
      std::string end = describeEnd(job.status);
      r.error = "nothing explored: '" + o.argv[0] + "' started no thread under threadcheck's " +
                "control (it " + end + "); a wrapper script or launcher that starts the real " +
                "program hides its threads, and so does a program that starts them only in a " +
                "child process it forks: run the program itself (threadcheck run -- " +
                "./program args...)";
      break;
    }
    ++r.schedules;
    if (failed && r.findings.empty()) {
      Finding f;
      f.kind = WIFSIGNALED(job.status) ? "crash" : "exit-status";
      f.signal = WIFSIGNALED(job.status) ? WTERMSIG(job.status) : 0;
      f.exitCode = WIFEXITED(job.status) ? WEXITSTATUS(job.status) : 0;
      f.message = WIFSIGNALED(job.status)
                      ? "crash: the program (which started no thread) was killed by signal " +
                            std::to_string(f.signal) + " (" + strsignal(f.signal) + ")"
                      : "exit status: the program (which started no thread) exited with status " +
                            std::to_string(f.exitCode);
      f.output = readAll(job.outFd);
      if (cb.onFinding)
        cb.onFinding(f);
      r.findings.push_back(std::move(f));
    }
    break; // every job ran the same single-threaded program
  }
  for (auto& job : jobs)
    if (job.outFd >= 0)
      close(job.outFd);
  sigaction(SIGINT, &oldInt, nullptr);
  sigaction(SIGTERM, &oldTerm, nullptr);
  r.elapsed = elapsed();
  return r;
}

} // namespace threadcheck::run
