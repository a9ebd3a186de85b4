// Crashes, failed assertions and exceptions escaping a thread, attributed to the thread that was
// running (exactly one runs at a time, so that is the faulting one).
#pragma once

namespace threadcheck::rt {

void installCrashHandlers(); // in each schedule's child, or for an in-process exploration
void installTerminateHandler();
void uninstallCrashHandlers(); // the exploration is over: the test's own handling comes back
void uninstallTerminateHandler();

} // namespace threadcheck::rt
