#include "Crash.h"

#include "Real.h"
#include "Scheduler.h"

#include <csignal>
#include <cstdio>
#include <cstring>

namespace threadcheck::rt {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};

void onCrash(int sig, siginfo_t* info, void*) {
  // The handler was installed with SA_RESETHAND: re-raising after recording gives the wait status
  // the program would have had.
  if (Scheduler::record()->kind == FindingKind::None) {
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
  raise(sig);
}

} // namespace

void installCrashHandlers() {
  struct sigaction sa{};
  sa.sa_sigaction = onCrash;
  sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  for (int sig : kSignals) {
    struct sigaction old{};
    // A program's own handler stays: it must keep working under the runtime.
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler != SIG_DFL)
      continue;
    sigaction(sig, &sa, nullptr);
  }
  installTerminateHandler();
}

} // namespace threadcheck::rt

using namespace threadcheck::rt;

TC_REAL(void, __assert_fail, (const char*, const char*, unsigned, const char*))

extern "C" __attribute__((visibility("default"))) void
__assert_fail(const char* expr, const char* file, unsigned line, const char* function) {
  if (Scheduler::active()) {
    int32_t self = Scheduler::self();
    char msg[1024];
    snprintf(msg, sizeof msg, "assertion failed in thread %d '%s': %s (%s:%u, in %s)", self,
             Scheduler::name(self), expr, file, line, function);
    Scheduler::recordFinding(FindingKind::Assertion, &self, 1, msg);
  }
  real___assert_fail()(expr, file, line, function);
  __builtin_unreachable();
}
