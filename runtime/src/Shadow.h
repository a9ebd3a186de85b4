// Shadow memory of the race detector: one cell per application byte holding the FastTrack state of
// that byte (last write epoch and site, last read epoch or shared-read clock, and site). Looked up
// through a two-level table (1 MiB application pages), so any address of the 47-bit user space
// can be shadowed and clearing a range is a memset.
#pragma once

#include <cstdint>

namespace threadcheck::rt {

struct Cell {
  uint32_t w;     // epoch of the last write (0: none)
  uint32_t wSite; // its access site (see RaceDetector.cpp)
  uint32_t r;     // epoch of the last read, or kSharedRead | index of a read clock
  uint32_t rSite;
};

class Shadow {
public:
  static constexpr unsigned kPageBits = 20;
  static constexpr uintptr_t kPageSize = uintptr_t{1} << kPageBits;

  static bool init(); // reserves the address space; false when it cannot
  // The cell of `addr`; cells of the following bytes up to the end of its 1 MiB page follow it.
  // Null for addresses outside user space or when the shadow is exhausted.
  static Cell* cells(uintptr_t addr);
  // Forgets every access to [addr, addr + n): the memory is new (malloc, a new thread's stack).
  static void clear(uintptr_t addr, uintptr_t n);
};

} // namespace threadcheck::rt
