// Address space for the race detector's tables, reserved once at load (before the fork server
// starts) and never committed up front: each schedule's child touches only the pages it uses, and
// they vanish with it.
#pragma once

#include <cstddef>
#include <sys/mman.h>

namespace threadcheck::rt {

inline void* reserveMemory(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

} // namespace threadcheck::rt
