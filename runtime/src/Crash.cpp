#include "Crash.h"

#include "InProcess.h"
#include "Real.h"
#include "Scheduler.h"
#include "TimeSlice.h"

#include <csignal>
#include <cstdio>
#include <cstring>

namespace threadcheck::rt {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
struct sigaction g_old[sizeof kSignals / sizeof kSignals[0]];
bool g_installed[sizeof kSignals / sizeof kSignals[0]];

void onCrash(int sig, siginfo_t* info, void*) {
  // The handler was installed with SA_RESETHAND: re-raising after recording gives the wait status
  // the program would have had. In-process, a thread that is not the explored program's (the
  // test's own) crashes as it would without the runtime.
  bool ours = Scheduler::member();
  if (ours && Scheduler::record()->kind == FindingKind::None) {
    int32_t self = Scheduler::self();
    char msg[256];
    if (sig == SIGABRT)
      snprintf(msg, sizeof msg, "crash: thread %d '%s' aborted (SIGABRT)", self,
               Scheduler::name(self));
    else
      snprintf(msg, sizeof msg, "crash: thread %d '%s' received %s at address %p", self,
               Scheduler::name(self), sigabbrev_np(sig) ? sigabbrev_np(sig) : "a signal",
               info ? info->si_addr : nullptr);
    Scheduler::recordFinding(FindingKind::Crash, &self, 1, msg);
  }
  // The process does not survive a crash (the program's state may be corrupt): the controller
  // saves and reports the schedule first.
  if (ours && Scheduler::inProcess())
    InProcess::fatal();
  raise(sig);
}

} // namespace

void installCrashHandlers() {
  struct sigaction sa{};
  sa.sa_sigaction = onCrash;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i) {
    int sig = kSignals[i];
    // A program's own handler stays: it must keep working under the runtime.
    g_installed[i] = false;
    if (realSigaction(sig, nullptr, &g_old[i]) == 0 && g_old[i].sa_handler != SIG_DFL)
      continue;
    g_installed[i] = realSigaction(sig, &sa, nullptr) == 0;
  }
  installTerminateHandler();
}

void uninstallCrashHandlers() {
  for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i)
    if (g_installed[i])
      realSigaction(kSignals[i], &g_old[i], nullptr);
  uninstallTerminateHandler();
}

} // namespace threadcheck::rt

using namespace threadcheck::rt;

TC_REAL(void, __assert_fail, (const char*, const char*, unsigned, const char*))

extern "C" __attribute__((visibility("default"))) void
__assert_fail(const char* expr, const char* file, unsigned line, const char* function) {
  if (Scheduler::member()) {
    int32_t self = Scheduler::self();
    char msg[1024];
    snprintf(msg, sizeof msg, "assertion failed in thread %d '%s': %s (%s:%u, in %s)", self,
             Scheduler::name(self), expr, file, line, function);
    Scheduler::recordFinding(FindingKind::Assertion, &self, 1, msg);
    // In-process the schedule ends here and the process goes on with the next one.
    if (Scheduler::inProcess())
      InProcess::endSchedule();
  }
  real___assert_fail()(expr, file, line, function);
  __builtin_unreachable();
}
