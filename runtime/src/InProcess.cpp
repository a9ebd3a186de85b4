#include "InProcess.h"

#include "Crash.h"
#include "ForkServer.h"
#include "Instrument.h"
#include "Raw.h"
#include "Real.h"
#include "Scheduler.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

namespace threadcheck::rt {
namespace {

// Written by the schedule's threads, read by the controller; all are futex words.
std::atomic<uint32_t> g_end{0};
std::atomic<uint32_t> g_parked{0};
uint64_t g_parkedTotal = 0; // threads parked for good by every schedule so far
std::atomic<uint32_t> g_fatalAck{0};
std::atomic<uint32_t> g_forever{0}; // parked threads wait here; nobody ever wakes it
std::atomic<bool> g_busy{false};
SharedRecord* g_record = nullptr;
pthread_t g_controller;
// The schedule's threads share one CPU, as the fork server's children do: a hand-over then
// wakes a thread on the CPU its waker is leaving, with no migration.
cpu_set_t g_cpu;
cpu_set_t g_controllerCpus;
int g_saved[2] = {-1, -1}; // the test's stdout and stderr while output is captured

struct Body {
  void (*fn)(void*);
  void* arg;
};
Body g_body;

void signalEnd(InProcess::End e) {
  g_end.store(static_cast<uint32_t>(e), std::memory_order_release);
  futexWake(&g_end);
}

// The calling thread's operations and accesses are no longer the schedule's.
void leaveSchedule() {
  Race::threadLeaving();
  Scheduler::leaveBodyThread();
}

[[noreturn]] void waitForever() {
  for (;;)
    futexWait(&g_forever, 0);
}

void* bodyEntry(void*) {
  Scheduler::adoptBodyThread();
  Race::threadStarted(0);
  g_body.fn(g_body.arg);
  InProcess::bodyReturned();
  return nullptr;
}

// Waits until `word` is no longer `value` or `deadlineNs` (0: none) passes. False on timeout.
bool waitWhile(std::atomic<uint32_t>& word, uint32_t value, uint64_t deadlineNs) {
  while (word.load(std::memory_order_acquire) == value) {
    if (!deadlineNs) {
      futexWait(&word, value);
      continue;
    }
    uint64_t now = monotonicNs();
    if (now >= deadlineNs)
      return false;
    uint64_t left = deadlineNs - now;
    timespec ts{static_cast<time_t>(left / 1000000000u), static_cast<long>(left % 1000000000u)};
    rawSyscall(SYS_futex, reinterpret_cast<long>(&word), FUTEX_WAIT_PRIVATE, value,
               reinterpret_cast<long>(&ts));
  }
  return true;
}

void waitParked(uint32_t n) {
  for (uint32_t v = g_parked.load(std::memory_order_acquire); v < n;
       v = g_parked.load(std::memory_order_acquire))
    futexWait(&g_parked, v);
}

} // namespace

TC_REAL(int, pthread_create, (pthread_t*, const pthread_attr_t*, void* (*)(void*), void*))
TC_REAL(int, pthread_join, (pthread_t, void**))

SharedRecord* InProcess::begin(const char** why, int captureFd) {
  if (Scheduler::record() && !Scheduler::inProcess()) {
    *why = "the process runs under `threadcheck run`";
    return nullptr;
  }
  if (Scheduler::inProcess() && Scheduler::member()) {
    *why = "called from inside an explored body";
    return nullptr;
  }
  if (g_busy.exchange(true)) {
    *why = "threadcheck::explore is already running in another thread of this process";
    return nullptr;
  }
  if (!g_record) {
    void* mem = mmap(nullptr, sizeof(SharedRecord), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) {
      g_busy = false;
      *why = "cannot map the schedule record";
      return nullptr;
    }
    g_record = static_cast<SharedRecord*>(mem);
  }
  g_controller = pthread_self();
  CPU_ZERO(&g_cpu);
  int cpu = sched_getcpu();
  CPU_SET(cpu >= 0 ? cpu : 0, &g_cpu);
  // The controller's hand-overs with the body's thread stay on the CPU too.
  pthread_getaffinity_np(g_controller, sizeof g_controllerCpus, &g_controllerCpus);
  pthread_setaffinity_np(g_controller, sizeof g_cpu, &g_cpu);
  // Redirected once for the whole exploration: each schedule only rewinds the file.
  if (captureFd >= 0) {
    fflush(nullptr);
    for (int i = 0; i < 2; ++i) {
      g_saved[i] = dup(i + 1);
      dup2(captureFd, i + 1);
    }
  }
  Scheduler::setInProcess(g_record);
  // Instrumented code in the program: schedules detect races and may preempt at plain accesses.
  if (Instrument::programInstrumented())
    Instrument::init(AccessPoints::None);
  installCrashHandlers();
  return g_record;
}

void InProcess::finish() {
  if (g_saved[0] >= 0) {
    fflush(nullptr);
    for (int i = 0; i < 2; ++i) {
      dup2(g_saved[i], i + 1);
      close(g_saved[i]);
      g_saved[i] = -1;
    }
  }
  pthread_setaffinity_np(g_controller, sizeof g_controllerCpus, &g_controllerCpus);
  uninstallCrashHandlers();
  Instrument::shutdown();
  Scheduler::setInProcess(nullptr);
  g_busy = false;
}

int InProcess::realStderr() {
  return g_saved[1] >= 0 ? g_saved[1] : 2;
}

InProcess::End InProcess::run(void (*fn)(void*), void* arg, uint64_t timeoutMs) {
  Scheduler::resetSchedule();
  g_end.store(static_cast<uint32_t>(End::Running));
  g_parked.store(0);
  g_body = Body{fn, arg};
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setaffinity_np(&attr, sizeof g_cpu, &g_cpu);
  int rc = real_pthread_create()(&th, &attr, bodyEntry, nullptr);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    // Not a schedule that passed: nothing ran. Typically the threads parked by earlier failing
    // schedules (keep_going) used up what the process may have.
    SharedRecord* r = Scheduler::record();
    r->kind = FindingKind::Limit;
    snprintf(r->message, sizeof r->message,
             "cannot start the body's thread: %s (%llu threads are parked by earlier failing "
             "schedules of this process)",
             strerror(rc), static_cast<unsigned long long>(g_parkedTotal));
    return End::Returned;
  }
  uint64_t deadline = timeoutMs ? monotonicNs() + timeoutMs * 1000000ull : 0;
  bool inTime = waitWhile(g_end, static_cast<uint32_t>(End::Running), deadline);
  Instrument::endSchedule();
  if (!inTime) {
    SharedRecord* r = Scheduler::record();
    int32_t cur = Scheduler::current();
    r->kind = FindingKind::Timeout;
    snprintf(r->message, sizeof r->message,
             "timeout: the schedule did not finish within %llu ms (thread %d '%s' was running; a "
             "blocking call the runtime does not model?)",
             static_cast<unsigned long long>(timeoutMs), cur, r->names[cur]);
    r->ninvolved = 1;
    r->involved[0].tid = static_cast<uint32_t>(cur);
    r->involved[0].nframes = 0;
    memcpy(r->involved[0].name, r->names[cur], kNameLen);
    uint32_t n = Scheduler::abandon(-1, true);
    waitParked(n);
    g_parkedTotal += n;
    return End::Timeout;
  }
  auto end = static_cast<End>(g_end.load(std::memory_order_acquire));
  if (end == End::Fatal)
    return end;
  // The ending thread parked itself (a finding) or is leaving (the body returned).
  int32_t ending = end == End::Returned ? 0 : Scheduler::current();
  uint32_t n = Scheduler::abandon(ending, false);
  waitParked(n);
  g_parkedTotal += n + (end == End::Finding ? 1 : 0);
  if (end == End::Returned)
    real_pthread_join()(th, nullptr);
  return end;
}

void InProcess::endSchedule() {
  leaveSchedule();
  signalEnd(End::Finding);
  waitForever();
}

void InProcess::bodyReturned() {
  // A body thread that was stuck when its schedule timed out must not end a later schedule.
  if (Scheduler::stale())
    park(false);
  Scheduler::bodyDone();
  leaveSchedule();
  signalEnd(End::Returned);
}

void InProcess::park(bool counted) {
  leaveSchedule();
  if (counted) {
    g_parked.fetch_add(1, std::memory_order_acq_rel);
    futexWake(&g_parked);
  }
  waitForever();
}

void InProcess::fatal() {
  if (pthread_equal(pthread_self(), g_controller))
    return;
  g_fatalAck.store(0);
  signalEnd(End::Fatal);
  waitWhile(g_fatalAck, 0, monotonicNs() + 30000000000ull);
}

void InProcess::fatalReported() {
  g_fatalAck.store(1, std::memory_order_release);
  futexWake(&g_fatalAck);
  waitForever();
}

} // namespace threadcheck::rt
