// std::terminate in a controlled schedule: an exception escaped a thread (Python's excepthook
// case). Names the thread and the exception, then lets the previous handler abort.
#include "Crash.h"
#include "Scheduler.h"

#include <cstdio>
#include <cxxabi.h>
#include <exception>
#include <typeinfo>

namespace threadcheck::rt {
namespace {

std::terminate_handler g_previous = nullptr;

[[noreturn]] void onTerminate() {
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
    snprintf(msg, sizeof msg, "std::terminate called in thread %d '%s' without an active exception",
             self, Scheduler::name(self));
    Scheduler::recordFinding(FindingKind::UncaughtException, &self, 1, msg);
  }
  if (g_previous)
    g_previous();
  std::abort();
}

} // namespace

void installTerminateHandler() {
  g_previous = std::set_terminate(onTerminate);
}

} // namespace threadcheck::rt
