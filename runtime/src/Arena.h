// Address space for the race detector's tables, reserved once at load (before the fork server
// starts) and never committed up front: each schedule's child touches only the pages it uses, and
// they vanish with it. In-process exploration reuses the tables and zeroes what a schedule used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sys/mman.h>

namespace threadcheck::rt {

inline void* reserveMemory(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

// Zeroes [from, to) of reserved memory. Large ranges give their pages back instead of writing
// zeros into them (which would commit pages nothing touched).
inline void zeroMemory(void* from, void* to) {
  constexpr uintptr_t kPage = 4096;
  auto f = reinterpret_cast<uintptr_t>(from);
  auto t = reinterpret_cast<uintptr_t>(to);
  uintptr_t lo = (f + kPage - 1) & ~(kPage - 1);
  uintptr_t hi = t & ~(kPage - 1);
  if (hi > lo + 16 * kPage) {
    memset(from, 0, lo - f);
    madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
    memset(reinterpret_cast<void*>(hi), 0, t - hi);
  } else if (t > f) {
    memset(from, 0, t - f);
  }
}

} // namespace threadcheck::rt
