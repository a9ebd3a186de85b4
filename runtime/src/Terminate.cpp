// std::terminate in a controlled schedule: an exception escaped a thread (Python's excepthook
// case). Names the thread and the exception, then lets the previous handler abort.
#include "Crash.h"
#include "InProcess.h"
#include "Scheduler.h"

#include <cstdio>
#include <cxxabi.h>
#include <exception>
#include <typeinfo>

namespace threadcheck::rt {
namespace {

std::terminate_handler g_previous = nullptr;

[[noreturn]] void onTerminate() {
  if (!Scheduler::member()) {
    if (g_previous)
      g_previous();
    std::abort();
  }
  int32_t self = Scheduler::self();
  char msg[1024];
  std::type_info* type = abi::__cxa_current_exception_type();
  if (type) {
    int status = 0;
    char* demangled = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
    const char* typeName = status == 0 && demangled ? demangled : type->name();
    const char* what = nullptr;
    try {
      throw;
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    snprintf(msg, sizeof msg, "uncaught exception in thread %d '%s': %s%s%s", self,
             Scheduler::name(self), typeName, what ? ": " : "", what ? what : "");
    Scheduler::recordFinding(FindingKind::UncaughtException, &self, 1, msg);
  } else {
    // During unwinding (a joinable std::thread destroyed by an exception) nothing is caught yet.
    snprintf(msg, sizeof msg, "std::terminate called in thread %d '%s' %s", self,
             Scheduler::name(self),
             std::uncaught_exceptions() > 0
                 ? "while an exception was propagating (a joinable std::thread destroyed during "
                   "unwinding?)"
                 : "without an active exception");
    Scheduler::recordFinding(FindingKind::UncaughtException, &self, 1, msg);
  }
  // In-process the thread is stopped where it is (its stack is not unwound) and the process goes
  // on with the next schedule.
  if (Scheduler::inProcess())
    InProcess::endSchedule();
  if (g_previous)
    g_previous();
  std::abort();
}

} // namespace

void installTerminateHandler() {
  g_previous = std::set_terminate(onTerminate);
}

void uninstallTerminateHandler() {
  std::set_terminate(g_previous);
}

} // namespace threadcheck::rt
