// Heap blocks of the running schedule, for race reports ("heap block of 16 bytes at ..., allocated
// by thread 1").
#pragma once

#include <cstddef>
#include <cstdint>

namespace threadcheck::rt {

// Writes a description of the live heap block holding `addr`; false when it is not in one.
bool describeHeapBlock(uintptr_t addr, char* buf, size_t cap);

} // namespace threadcheck::rt
