// Crashes, failed assertions and exceptions escaping a thread, attributed to the thread that was
// running (exactly one runs at a time, so that is the faulting one).
#pragma once

namespace threadcheck::rt {

void installCrashHandlers(); // in each schedule's child
void installTerminateHandler();

} // namespace threadcheck::rt
