// Shadow memory of the race detector: one cell per application byte holding the FastTrack state of
// that byte (last write epoch and site, last read epoch or shared-read clock, and site). Looked up
// through a two-level table (1 MiB application pages), so any address of the 47-bit user space
// can be shadowed and clearing a range is a memset.
#pragma once

#include <cstdint>

namespace threadcheck::rt {

// The order puts the two epochs side by side (one 8-byte load compares both) and each epoch next
// to the site that goes with it on the side it is updated together with (one store each).
struct Cell {
  uint32_t wSite; // the last write's access site (see RaceDetector.cpp)
  uint32_t w;     // epoch of the last write (0: none)
  uint32_t r;     // epoch of the last read, or kSharedRead | index of a read clock
  uint32_t rSite;
};

namespace detail {
inline constexpr unsigned kShadowAddressBits = 47;
inline constexpr unsigned kShadowPageBits = 20;
// Hidden: the access fast path reads them without a GOT load.
// Application page -> chunk number + 1 (0: never shadowed).
extern uint32_t* g_shadowDir __attribute__((visibility("hidden")));
extern char* g_shadowChunks __attribute__((visibility("hidden")));
} // namespace detail

class Shadow {
public:
  static constexpr unsigned kPageBits = detail::kShadowPageBits;
  static constexpr uintptr_t kPageSize = uintptr_t{1} << kPageBits;

  static bool init(); // reserves the address space; false when it cannot
  // The cell of `addr`; cells of the following bytes up to the end of its 1 MiB page follow it.
  // Null for addresses outside user space or when the shadow is exhausted.
  static Cell* cells(uintptr_t addr);
  // Like cells(), but null when the page has no shadow yet (nothing accessed it in this schedule):
  // no allocation, so the access fast path can inline it.
  static Cell* existing(uintptr_t addr) {
    uintptr_t page = addr >> kPageBits;
    if (page >> (detail::kShadowAddressBits - kPageBits))
      return nullptr;
    uint32_t slot = detail::g_shadowDir[page];
    if (slot == 0)
      return nullptr;
    return reinterpret_cast<Cell*>(detail::g_shadowChunks +
                                   (uintptr_t{slot - 1} << kPageBits) * sizeof(Cell)) +
           (addr & (kPageSize - 1));
  }
  // Forgets every access to [addr, addr + n): the memory is new (malloc, a new thread's stack).
  static void clear(uintptr_t addr, uintptr_t n);
};

} // namespace threadcheck::rt
