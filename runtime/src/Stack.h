// Return-address capture without allocation, usable from signal handlers.
#pragma once

#include <cstdint>

namespace threadcheck::rt {

// Fills `out` with up to `max` program counters of the calling thread (innermost first, already
// adjusted to point into the call instruction). Returns the number written.
uint32_t captureStack(uintptr_t* out, uint32_t max);

} // namespace threadcheck::rt
