// At start-up of an instrumented program under `threadcheck run`: the program's instrumentation
// calls must reach this runtime. Stock ThreadSanitizer's runtime linked in, or a shared library
// instrumented for another compiler's ABI (which calls entry points this runtime lacks), would
// otherwise fail in the middle of a schedule, or quietly bypass the detector.
#pragma once

namespace threadcheck::rt {

// Prints a one-line reason to stderr and exits with status 125 (a runtime failure for the tool)
// when a check fails.
void checkInstrumentationAbi();

} // namespace threadcheck::rt
