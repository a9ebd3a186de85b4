#include "ForkServer.h"

#include "Crash.h"
#include "ForkPointFiles.h"
#include "Instrument.h"
#include "Raw.h"
#include "ScheduleLoop.h"
#include "Scheduler.h"
#include "Strategy.h"
#include "TimeSlice.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sched.h>
#include <string>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

namespace threadcheck::rt {
void registerProcessExit();
namespace {

constexpr size_t kMaxOutput = 64 * 1024;

// Text fields travel %-escaped so that every message field is one space-free token.
void appendEscaped(std::string& out, const char* s) {
  static const char hex[] = "0123456789abcdef";
  if (!*s)
    out += "%00";
  for (; *s; ++s) {
    auto c = static_cast<unsigned char>(*s);
    if (c <= ' ' || c == '%' || c >= 0x7f) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
}

void sendAll(const std::string& s) {
  rawWrite(config().fd, s.data(), s.size());
}

// The children share the server's address space layout (no ASLR, same mappings at fork), so the
// server can map their return addresses to module + offset for the symboliser.
// Appends "<module> 0x<offset>" (module "%3f" when no module maps the address).
void appendModuleOffset(std::string& out, uintptr_t pc) {
  const char* module = nullptr;
  uintptr_t offset = 0;
  char buf[40];
  if (!moduleOf(pc, &module, &offset)) {
    snprintf(buf, sizeof buf, "%%3f 0x%lx\n", static_cast<unsigned long>(pc));
    out += buf;
    return;
  }
  appendEscaped(out, module);
  snprintf(buf, sizeof buf, " 0x%lx\n", static_cast<unsigned long>(offset));
  out += buf;
}

void appendFrame(std::string& out, uintptr_t pc) {
  out += "frame ";
  appendModuleOffset(out, pc);
}

bool inModule(uintptr_t addr) {
  const char* module = nullptr;
  uintptr_t offset = 0;
  return moduleOf(addr, &module, &offset);
}

// What a lock operation came to, in words: "busy (held by thread 1 'payer')".
std::string eventResultText(const SharedRecord* rec, const Event& ev) {
  std::string holder;
  if (ev.other >= 0 && static_cast<uint32_t>(ev.other) < kMaxThreads) {
    char name[kNameLen + 1] = {};
    memcpy(name, rec->names[ev.other], kNameLen);
    holder = "thread " + std::to_string(ev.other) + " '" + name + "'";
  } else {
    holder = "readers";
  }
  switch (ev.result) {
  case EventResult::Acquired:
    return "acquired";
  case EventResult::Busy:
    return "busy (held by " + holder + ")";
  case EventResult::Waits:
    return "waits (held by " + holder + ")";
  case EventResult::WaitedAcquired:
    return "waited (held by " + holder + "), then acquired";
  case EventResult::TimedOut:
    return "waited (held by " + holder + "), timed out";
  case EventResult::None:
    break;
  }
  return "";
}

struct Outcome {
  FindingKind kind = FindingKind::None;
  bool soft = false;
  int exitCode = 0;
  int signal = 0;
  bool timedOut = false;
};

std::string renderFinding(const SharedRecord* rec, uint64_t index, const Outcome& o, int outFd) {
  std::string m;
  char buf[256];
  snprintf(buf, sizeof buf, "finding-begin %llu\nkind %s\nseed %llu\nsteps %llu\nhash %016llx\n",
           static_cast<unsigned long long>(index), findingKindName(o.kind),
           static_cast<unsigned long long>(rec->seed), static_cast<unsigned long long>(rec->steps),
           static_cast<unsigned long long>(rec->traceHash));
  m += buf;
  snprintf(buf, sizeof buf, "status %d %d\n", o.exitCode, o.signal);
  m += buf;
  if (rec->kind == FindingKind::Divergence) {
    snprintf(buf, sizeof buf, "divergence %u\n", rec->divergenceStep);
    m += buf;
  }
  if (config().instrumented) {
    m += "access-points ";
    m += accessPointsName(rec->accessPoints);
    m += "\nracy";
    for (uint32_t i = 0; i < rec->racyCount && i < kMaxRacyPcs; ++i) {
      snprintf(buf, sizeof buf, " %llx", static_cast<unsigned long long>(rec->racyPcs[i]));
      m += buf;
    }
    m += '\n';
  }
  std::string message;
  uint32_t ninvolved = rec->ninvolved;
  const InvolvedThread* involved = rec->involved;
  const char(*access)[96] = nullptr;
  InvolvedThread synthetic[kMaxInvolved] = {};
  if (o.soft && o.kind == FindingKind::DataRace) {
    message = rec->raceMessage;
    ninvolved = 2;
    involved = rec->raceInvolved;
    access = rec->raceAccess;
    // A global: the tool names the variable from the module's symbols and debug info.
    if (inModule(rec->raceAddr)) {
      m += "race-addr ";
      appendModuleOffset(m, rec->raceAddr);
    }
  } else if (o.soft) {
    message = rec->softMessage;
    ninvolved = rec->nsoftInvolved < 2 ? rec->nsoftInvolved : 2;
    involved = rec->softStacks;
  } else if (rec->kind != FindingKind::None) {
    message = rec->message;
  } else {
    // Classified from the wait status alone: the runtime did not see it coming.
    uint32_t cur = rec->current;
    // A thread that kept running out of its time slices with nobody else to run spun (or
    // computed) without a scheduling point until the limit: its stack is the one to show.
    bool spun = o.timedOut && rec->spinSlices > 1 && rec->spinTid == cur;
    if (spun)
      snprintf(buf, sizeof buf,
               "timeout: the schedule did not finish within %llu ms: thread %u '%s' spun "
               "without reaching a scheduling point (preempted by %u time slices in a row "
               "without a step of its own in between)",
               static_cast<unsigned long long>(config().scheduleTimeoutMs), cur, rec->names[cur],
               rec->spinSlices);
    else if (o.timedOut)
      snprintf(buf, sizeof buf,
               "timeout: the schedule did not finish within %llu ms (thread %u '%s' was running; "
               "a blocking call the runtime does not model?)",
               static_cast<unsigned long long>(config().scheduleTimeoutMs), cur, rec->names[cur]);
    else if (o.signal)
      snprintf(buf, sizeof buf, "crash: thread %u '%s' was killed by signal %d (%s)", cur,
               rec->names[cur], o.signal, strsignal(o.signal));
    else
      snprintf(buf, sizeof buf, "exit status: the program exited with status %d", o.exitCode);
    message = buf;
    ninvolved = 1;
    synthetic[0].tid = cur;
    memcpy(synthetic[0].name, rec->names[cur], kNameLen);
    if (o.timedOut && rec->nstuck > 0 && rec->stuck[0].tid == cur) {
      // Where every live thread was when the time ran out, the running one first.
      ninvolved = rec->nstuck;
      memcpy(synthetic, rec->stuck, ninvolved * sizeof synthetic[0]);
    } else if (!o.timedOut && !o.signal && rec->nexitInvolved > 0) {
      // exit() with the status: the exiting thread first, then the others where they were.
      ninvolved = rec->nexitInvolved;
      memcpy(synthetic, rec->exitInvolved, ninvolved * sizeof synthetic[0]);
    }
    if (spun && synthetic[0].nframes == 0) {
      synthetic[0].nframes = rec->spinNframes;
      memcpy(synthetic[0].frames, rec->spinFrames, sizeof synthetic[0].frames);
    }
    involved = synthetic;
  }
  m += "message ";
  appendEscaped(m, message.c_str());
  m += '\n';
  snprintf(buf, sizeof buf, "decisions %u", rec->ndecisions);
  m += buf;
  for (uint32_t i = 0; i < rec->ndecisions && i < kMaxDecisions; ++i) {
    snprintf(buf, sizeof buf, " %u", rec->decisions[i]);
    m += buf;
  }
  m += '\n';
  for (uint32_t i = 0; i < ninvolved && i < kMaxInvolved; ++i) {
    snprintf(buf, sizeof buf, "thread %u ", involved[i].tid);
    m += buf;
    char name[kNameLen + 1] = {};
    memcpy(name, involved[i].name, kNameLen);
    appendEscaped(m, name);
    m += '\n';
    if (access) {
      m += "access ";
      appendEscaped(m, access[i]);
      m += '\n';
    }
    for (uint32_t f = 0; f < involved[i].nframes && f < kMaxFrames; ++f)
      appendFrame(m, involved[i].frames[f]);
    uint32_t tid = involved[i].tid;
    for (uint32_t f = 0; tid > 0 && tid < kMaxThreads && f < rec->ncreatedAt[tid] && f < kMaxFrames;
         ++f) {
      m += "created ";
      appendModuleOffset(m, rec->createdAt[tid][f]);
    }
  }
  uint64_t total = rec->eventCount;
  uint64_t first = total > kEventRing ? total - kEventRing : 0;
  for (uint64_t e = first; e < total; ++e) {
    const Event& ev = rec->events[e % kEventRing];
    snprintf(buf, sizeof buf, "event %llu %u ", static_cast<unsigned long long>(ev.step), ev.tid);
    m += buf;
    char name[kNameLen + 1] = {};
    memcpy(name, rec->names[ev.tid < kMaxThreads ? ev.tid : 0], kNameLen);
    appendEscaped(m, name);
    snprintf(buf, sizeof buf, " %s ", opName(static_cast<Op>(ev.op)));
    m += buf;
    appendEscaped(m, ev.objId ? objKindName(static_cast<ObjKind>(ev.objKind)) : "-");
    snprintf(buf, sizeof buf, " %u", ev.objId);
    m += buf;
    if (ev.result != EventResult::None) {
      m += ' ';
      appendEscaped(m, eventResultText(rec, ev).c_str());
    }
    m += '\n';
  }
  std::string output;
  if (outFd >= 0) {
    off_t size = lseek(outFd, 0, SEEK_END);
    off_t from = size > static_cast<off_t>(kMaxOutput) ? size - static_cast<off_t>(kMaxOutput) : 0;
    output.resize(static_cast<size_t>(size - from));
    ssize_t got = pread(outFd, output.data(), output.size(), from);
    output.resize(got > 0 ? static_cast<size_t>(got) : 0);
  }
  snprintf(buf, sizeof buf, "output %zu\n", output.size());
  m += buf;
  m += output;
  m += "finding-end\n";
  return m;
}

// A schedule that timed out is about to be killed: first every live thread of it is asked for
// its stack, with the time-slice signal (its handler captures without allocating). The running
// thread comes first. A thread that cannot answer in time (blocked with the signal masked, in
// an uninterruptible wait) keeps an empty stack.
void captureStuck(pid_t pid, SharedRecord* rec) {
  rec->nstuck = 0;
  if (!TimeSlice::handlerInstalled())
    return;
  uint32_t nthreads = rec->nthreads < kMaxThreads ? rec->nthreads : kMaxThreads;
  memset(rec->captureSlot, 0, sizeof rec->captureSlot);
  uint32_t n = 0;
  auto add = [&](uint32_t t) {
    if (n == kMaxInvolved || t >= nthreads || rec->osTids[t] <= 0 || rec->captureSlot[t])
      return;
    InvolvedThread& inv = rec->stuck[n];
    inv.tid = t;
    inv.nframes = 0;
    memcpy(inv.name, rec->names[t], kNameLen);
    rec->stuckDone[n] = 0;
    rec->captureSlot[t] = static_cast<uint8_t>(n + 1);
    ++n;
  };
  add(rec->current);
  for (uint32_t t = 0; t < nthreads; ++t)
    add(t);
  rec->nstuck = n;
  __atomic_store_n(&rec->captureRequest, 1, __ATOMIC_SEQ_CST);
  for (uint32_t i = 0; i < n; ++i)
    rawSyscall(SYS_tgkill, pid, rec->osTids[rec->stuck[i].tid], TimeSlice::kSignal);
  for (int waited = 0; waited < 500; ++waited) { // at most half a second
    uint32_t done = 0;
    for (uint32_t i = 0; i < n; ++i)
      done += __atomic_load_n(&rec->stuckDone[i], __ATOMIC_ACQUIRE);
    if (done == n)
      break;
    timespec ms{0, 1000000};
    rawSyscall(SYS_nanosleep, reinterpret_cast<long>(&ms), 0);
  }
  __atomic_store_n(&rec->captureRequest, 0, __ATOMIC_SEQ_CST);
}

// Waits for the child, killing it when it runs past the per-schedule time limit (`timedOut`: a
// timeout finding) or past the run's --time-budget (`budgetOut`: the run ends there, and the
// unfinished schedule is no finding).
int waitChild(pid_t pid, bool& timedOut, bool& budgetOut) {
  timedOut = false;
  budgetOut = false;
  int pidfd = static_cast<int>(rawSyscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd p{pidfd, POLLIN, 0};
    uint64_t ns = config().scheduleTimeoutMs * 1000000ull;
    bool byBudget = false;
    if (uint64_t deadline = config().deadlineNs) {
      uint64_t now = monotonicNs();
      uint64_t left = deadline > now ? deadline - now : 0;
      if (left < ns) {
        ns = left;
        byBudget = true;
      }
    }
    timespec limit{static_cast<time_t>(ns / 1000000000ull), static_cast<long>(ns % 1000000000ull)};
    long r;
    do
      r = rawSyscall(SYS_ppoll, reinterpret_cast<long>(&p), 1, reinterpret_cast<long>(&limit), 0);
    while (r == -EINTR);
    if (r == 0) {
      (byBudget ? budgetOut : timedOut) = true;
      if (timedOut && Scheduler::record()->kind == FindingKind::None)
        captureStuck(pid, Scheduler::record());
      kill(pid, SIGKILL);
    }
    close(pidfd);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

bool ignored(FindingKind k) {
  return (config().ignore >> static_cast<uint32_t>(k)) & 1u;
}

Outcome classify(const SharedRecord* rec, int status, bool timedOut) {
  Outcome o;
  o.timedOut = timedOut;
  if (WIFEXITED(status))
    o.exitCode = WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    o.signal = WTERMSIG(status);
  if (rec->kind != FindingKind::None)
    o.kind = rec->kind;
  else if (timedOut)
    o.kind = FindingKind::Timeout;
  else if (o.signal == SIGABRT)
    o.kind = FindingKind::Crash;
  else if (o.signal)
    o.kind = FindingKind::Crash;
  else if (o.exitCode != 0)
    o.kind = FindingKind::ExitStatus;
  // An ignored kind is a passing schedule: what else it saw (a data race, a lock-order
  // inversion) may still be reported.
  if (o.kind != FindingKind::None && !ignored(o.kind))
    return o;
  o.kind = FindingKind::None;
  if (rec->raceMessage[0] && !ignored(FindingKind::DataRace)) {
    o.kind = FindingKind::DataRace;
    o.soft = true;
  } else if (rec->softMessage[0] && !ignored(FindingKind::LockOrderInversion)) {
    o.kind = FindingKind::LockOrderInversion;
    o.soft = true;
  }
  return o;
}

void childSetup(int outFd) {
  dup2(outFd, 1);
  dup2(outFd, 2);
  close(outFd);
  Scheduler::setBypass(false);
  Scheduler::startSchedule();
  Instrument::startSchedule(Scheduler::record());
  installCrashHandlers();
  TimeSlice::startSchedule();
  registerProcessExit();
}

} // namespace

void becomeForkServer() {
  Config& c = config();
  c.serving = true;
  SharedRecord* rec = Scheduler::record();
  Scheduler::setBypass(true);
  fflush(nullptr);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(c.cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
  char line[128];
  snprintf(line, sizeof line, "hello %d\n", getpid());
  sendAll(line);
  forkpoint::capture(c.fd);
  TimeSlice::prepare(rec);
  int outFd = memfd_create("threadcheck-output", MFD_CLOEXEC);
  uint64_t done = 0;
  bool exhausted = false;
  uint64_t softDeadline = 0; // schedules left to look for a real deadlock
  bool havePendingSoft = false;
  uint64_t longest = 0;
  bool leakReported = false;
  // A deferred soft report (lock-order inversion, data race): later children overwrite the record.
  std::string pending;
  RacePass pass(c.instrumented && c.accessPoints == AccessPoints::Racy &&
                    c.strategy != StrategyKind::Replay,
                c.racePass, c.strategy);
  for (uint64_t i = c.job; i < c.iterations; i += c.jobs) {
    if (c.deadlineNs && monotonicNs() >= c.deadlineNs)
      break;
    if (havePendingSoft && softDeadline-- == 0)
      break;
    prepareSchedule(rec, c.seed, i, longest);
    bool inPass = pass.prepare(rec);
    if (outFd >= 0) {
      ftruncate(outFd, 0);
      lseek(outFd, 0, SEEK_SET);
    }
    pid_t pid = fork();
    if (pid == 0) {
      forkpoint::restore();
      childSetup(outFd);
      return;
    }
    if (pid < 0) {
      snprintf(line, sizeof line, "error fork-failed %d\n", errno);
      sendAll(line);
      break;
    }
    bool timedOut = false, budgetOut = false;
    int status = waitChild(pid, timedOut, budgetOut);
    if (budgetOut) {
      // Not explored to its end: neither counted nor classified.
      snprintf(line, sizeof line, "budget-stop %llu\n", static_cast<unsigned long long>(i));
      sendAll(line);
      break;
    }
    ++done;
    if (rec->steps > longest)
      longest = rec->steps;
    Outcome o = classify(rec, status, timedOut);
    snprintf(line, sizeof line, "sched %llu %llu %s %llu %016llx\n",
             static_cast<unsigned long long>(i), static_cast<unsigned long long>(rec->seed),
             findingKindName(o.kind), static_cast<unsigned long long>(rec->steps),
             static_cast<unsigned long long>(rec->traceHash));
    sendAll(line);
    if (o.soft && !c.keepGoing) {
      // Defer a lock-order inversion: a schedule that really deadlocks is the better report.
      if (!havePendingSoft) {
        havePendingSoft = true;
        softDeadline = kSoftGrace;
        pending = renderFinding(rec, i, o, outFd);
      }
    } else if (o.kind == FindingKind::ThreadLeak && !c.keepGoing) {
      // A leak is reported once and the search goes on for the bug the user is after.
      if (!leakReported)
        sendAll(renderFinding(rec, i, o, outFd));
      leakReported = true;
    } else if (o.kind != FindingKind::None) {
      sendAll(renderFinding(rec, i, o, outFd));
      havePendingSoft = false;
      pending.clear();
      if (!c.keepGoing)
        break;
    }
    if (inPass) {
      pass.after(rec);
      continue;
    }
    if (c.strategy == StrategyKind::Dfs && !nextDfsPrefix(rec)) {
      exhausted = true;
      break;
    }
    if (c.strategy == StrategyKind::Replay)
      break;
  }
  if (havePendingSoft)
    sendAll(pending);
  snprintf(line, sizeof line, "done %llu %d\n", static_cast<unsigned long long>(done),
           exhausted ? 1 : 0);
  sendAll(line);
  rawExit(0);
}

void reportUnforked() {
  SharedRecord* rec = Scheduler::record();
  fflush(nullptr);
  Outcome o;
  o.kind = rec->kind;
  sendAll("hello 0\n");
  char line[128];
  snprintf(line, sizeof line, "sched 0 0 %s %llu %016llx\n", findingKindName(o.kind),
           static_cast<unsigned long long>(rec->steps),
           static_cast<unsigned long long>(rec->traceHash));
  sendAll(line);
  sendAll(renderFinding(rec, 0, o, -1));
  sendAll("done 1 0\n");
}

} // namespace threadcheck::rt
