// Time slices (TimeSlice.h). The timer of each thread measures the thread's own CPU time
// (CLOCK_THREAD_CPUTIME_ID), so a thread waiting for its turn on a futex never ticks, and it is
// armed once, periodic: the hand-off path costs nothing. A tick preempts the thread only when the
// schedule made no step since the thread's previous tick (a whole period without a scheduling
// point, Scheduler::timeSlice), and only where preempting is safe: the interrupted instruction is
// in the program's own code, not in the C library, the dynamic loader, libstdc++, libgcc or the
// runtime, which may hold internal locks (malloc's, stdio's, the loader's) that another thread
// would then block on in the kernel. A tick that lands elsewhere waits for the next one.
//
// The handler is async-signal-safe: it allocates nothing and makes raw system calls only (the
// futex hand-off); the timers are raw timer_create/timer_settime/timer_delete calls.
#include "TimeSlice.h"

#include "Raw.h"
#include "Real.h"
#include "Scheduler.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <link.h>
#include <ucontext.h>

using namespace threadcheck::rt;

// The runtime's own code when it is linked into an instrumented executable (InterposeMemory.cpp).
extern "C" const char __start_threadcheck_text[] __attribute__((weak, visibility("hidden")));
extern "C" const char __stop_threadcheck_text[] __attribute__((weak, visibility("hidden")));

TC_REAL(int, sigaction, (int, const struct sigaction*, struct sigaction*))
TC_REAL(int, pthread_sigmask, (int, const sigset_t*, sigset_t*))
TC_REAL(int, sigprocmask, (int, const sigset_t*, sigset_t*))

namespace {

constexpr uint32_t kMaxRanges = 64;
struct Range {
  uintptr_t lo, hi;
};
Range g_ranges[kMaxRanges]; // code that may be preempted
uint32_t g_nranges = 0;
Range g_self = {0, 0};  // the runtime's code, never preempted
bool g_on = false;      // time slices preempt
bool g_handler = false; // the handler is installed (also with --time-slice=0): stack requests
uint32_t g_periodUs = 0;

bool systemLibrary(const char* path) {
  const char* base = strrchr(path, '/');
  base = base ? base + 1 : path;
  static const char* const kPrefixes[] = {
      "libc.so",    "libc-",  "ld-linux", "ld-",       "libstdc++",  "libgcc_s",         "libm.so",
      "libpthread", "libdl.", "librt.",   "libatomic", "linux-vdso", "libthreadcheck_rt"};
  for (const char* p : kPrefixes)
    if (!strncmp(base, p, strlen(p)))
      return true;
  return false;
}

int collect(dl_phdr_info* info, size_t, void*) {
  auto here = reinterpret_cast<uintptr_t>(&collect);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
      continue;
    uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    uintptr_t hi = lo + ph.p_memsz;
    // The module holding this code is the runtime (preloaded, or linked in: then the program's
    // own code in that module is never preempted, a documented limit).
    if (here >= lo && here < hi) {
      if (!__start_threadcheck_text) {
        g_self = {lo, hi};
        continue;
      }
    }
    const char* name = info->dlpi_name ? info->dlpi_name : "";
    if (*name && systemLibrary(name))
      continue;
    if (g_nranges < kMaxRanges)
      g_ranges[g_nranges++] = {lo, hi};
  }
  return 0;
}

bool preemptible(uintptr_t pc) {
  if (pc >= g_self.lo && pc < g_self.hi)
    return false;
  for (uint32_t i = 0; i < g_nranges; ++i)
    if (pc >= g_ranges[i].lo && pc < g_ranges[i].hi)
      return true;
  return false;
}

void onTick(int, siginfo_t* info, void* context) {
  if (!info || !g_handler)
    return;
  int saved = errno;
  auto* uc = static_cast<ucontext_t*>(context);
  auto pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  // The fork server (the parent) asks for the thread's stack before it kills a schedule that
  // timed out.
  if (info->si_code == SI_TKILL && info->si_pid == static_cast<pid_t>(rawSyscall(SYS_getppid)))
    Scheduler::captureForServer(pc);
  else if (info->si_code == SI_TIMER && g_on && preemptible(pc))
    Scheduler::timeSlice(pc);
  errno = saved;
}

void startTimer() {
  Thread& me = Scheduler::thread(Scheduler::self());
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = TimeSlice::kSignal;
  sev._sigev_un._tid = static_cast<pid_t>(rawSyscall(SYS_gettid));
  int id = -1;
  if (rawSyscall(SYS_timer_create, CLOCK_THREAD_CPUTIME_ID, reinterpret_cast<long>(&sev),
                 reinterpret_cast<long>(&id)) != 0)
    return;
  itimerspec its{};
  its.it_interval.tv_sec = g_periodUs / 1000000;
  its.it_interval.tv_nsec = static_cast<long>(g_periodUs % 1000000) * 1000;
  its.it_value = its.it_interval;
  rawSyscall(SYS_timer_settime, id, 0, reinterpret_cast<long>(&its), 0);
  me.timer = id;
}

// Masks keep the signal deliverable: a pool that blocks every signal in its workers (libuv's
// does) must still be preempted.
bool stripSignal(int how, const sigset_t* set, sigset_t* copy) {
  if (!g_handler || !set || (how != SIG_BLOCK && how != SIG_SETMASK) ||
      !sigismember(set, TimeSlice::kSignal))
    return false;
  *copy = *set;
  sigdelset(copy, TimeSlice::kSignal);
  return true;
}

} // namespace

namespace threadcheck::rt::TimeSlice {

void prepare(const SharedRecord* rec) {
  g_on = false;
  g_handler = false;
  g_periodUs = rec->timeSliceUs;
  if (kSignal > SIGRTMAX)
    return;
  struct sigaction old{};
  // A program that uses the signal itself keeps it: no time slices then.
  if (real_sigaction()(kSignal, nullptr, &old) != 0 || old.sa_handler != SIG_DFL)
    return;
  g_nranges = 0;
  if (__start_threadcheck_text)
    g_self = {reinterpret_cast<uintptr_t>(__start_threadcheck_text),
              reinterpret_cast<uintptr_t>(__stop_threadcheck_text)};
  dl_iterate_phdr(collect, nullptr);
  struct sigaction sa{};
  sa.sa_sigaction = onTick;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (real_sigaction()(kSignal, &sa, nullptr) != 0)
    return;
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, kSignal);
  real_pthread_sigmask()(SIG_UNBLOCK, &unblock, nullptr);
  real_sigprocmask(); // resolved now, not in a schedule
  g_handler = true;
  g_on = g_periodUs != 0;
}

void startSchedule() {
  if (g_on)
    startTimer();
}

void threadStarted() {
  if (g_on)
    startTimer();
}

void threadFinished() {
  Thread& me = Scheduler::thread(Scheduler::self());
  if (me.timer >= 0)
    rawSyscall(SYS_timer_delete, me.timer);
  me.timer = -1;
}

bool on() {
  return g_on;
}

bool handlerInstalled() {
  return g_handler;
}

void programSetHandler() {
  g_handler = false;
  if (!g_on)
    return;
  g_on = false;
  for (uint32_t t = 0; t < Scheduler::threadCount(); ++t) {
    Thread& th = Scheduler::thread(static_cast<int32_t>(t));
    if (th.timer >= 0)
      rawSyscall(SYS_timer_delete, th.timer);
    th.timer = -1;
  }
}

} // namespace threadcheck::rt::TimeSlice

int threadcheck::rt::realSigaction(int sig, const struct sigaction* act, struct sigaction* old) {
  return real_sigaction()(sig, act, old);
}

#define TC_EXPORT extern "C" __attribute__((visibility("default")))

TC_EXPORT int sigaction(int sig, const struct sigaction* act, struct sigaction* old) {
  if (sig == TimeSlice::kSignal && act && TimeSlice::handlerInstalled())
    TimeSlice::programSetHandler();
  return real_sigaction()(sig, act, old);
}

TC_EXPORT int pthread_sigmask(int how, const sigset_t* set, sigset_t* old) {
  sigset_t copy;
  return real_pthread_sigmask()(how, stripSignal(how, set, &copy) ? &copy : set, old);
}

TC_EXPORT int sigprocmask(int how, const sigset_t* set, sigset_t* old) {
  sigset_t copy;
  return real_sigprocmask()(how, stripSignal(how, set, &copy) ? &copy : set, old);
}
