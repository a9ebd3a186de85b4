// Shadow memory of the race detector: the FastTrack state (last write epoch and site, last read
// epoch or shared-read clock, and site) of every application byte. A 4-byte granule has one cell
// while its four bytes share one state, which is the rule (ints, pointers and wider data are
// accessed whole); the first access to part of a granule splits it into four byte cells, so
// neighbouring chars and shorts never alias. One cell for four bytes keeps the shadow a scan
// through an array touches at four bytes per byte, like TSan's. Looked up through a two-level
// table (1 MiB application pages), so any address of the 47-bit user space can be shadowed and
// clearing a range is a memset.
#pragma once

#include "Assume.h"

#include <cstdint>

namespace threadcheck::rt {

// The order puts the two epochs side by side (one 8-byte load compares both) and each epoch next
// to the site that goes with it on the side it is updated together with (one store each).
struct Cell {
  uint32_t wSite; // the last write's access site (see RaceDetector.cpp)
  uint32_t w;     // epoch of the last write (0: none), or kSplitGranule
  uint32_t r;     // epoch of the last read, or kSharedRead | index of a read clock
  uint32_t rSite;
};

// In a granule cell's `w`: the granule's bytes have their own cells. No epoch has this bit.
inline constexpr uint32_t kSplitGranule = 0x80000000u;

namespace detail {
inline constexpr unsigned kShadowAddressBits = 47;
inline constexpr unsigned kShadowPageBits = 20;
inline constexpr unsigned kGranuleBits = 2;
inline constexpr uintptr_t kGranuleChunkBytes =
    (uintptr_t{1} << (kShadowPageBits - kGranuleBits)) * sizeof(Cell);
inline constexpr uintptr_t kByteChunkBytes = (uintptr_t{1} << kShadowPageBits) * sizeof(Cell);
// Hidden: the access fast path reads them without a GOT load.
// Application page -> chunk number + 1 (0: never shadowed); a chunk has a granule part and a
// byte part (committed only where granules split).
extern uint32_t* g_shadowDir __attribute__((visibility("hidden")));
extern char* g_granuleChunks __attribute__((visibility("hidden")));
extern char* g_byteChunks __attribute__((visibility("hidden")));
} // namespace detail

class Shadow {
public:
  static constexpr unsigned kPageBits = detail::kShadowPageBits;
  static constexpr uintptr_t kPageSize = uintptr_t{1} << kPageBits;
  static constexpr uintptr_t kGranule = uintptr_t{1} << detail::kGranuleBits;

  static bool init(); // reserves the address space; false when it cannot
  // Forgets every access (in-process exploration: the next schedule starts afresh).
  static void reset();
  // The granule cell of `addr`; the cells of the following granules up to the end of its 1 MiB
  // page follow it. Null for addresses outside user space or when the shadow is exhausted.
  static Cell* granule(uintptr_t addr);
  // Like granule(), but null when the page has no shadow yet (nothing accessed it in this
  // schedule): no allocation, so the access fast path can inline it.
  static Cell* existingGranule(uintptr_t addr) {
    uintptr_t page = addr >> kPageBits;
    if (page >> (detail::kShadowAddressBits - kPageBits))
      return nullptr;
    uint32_t slot = detail::g_shadowDir[page];
    if (slot == 0)
      return nullptr;
    // A page has a chunk only once the chunks exist: the result needs no null test.
    char* chunks = detail::g_granuleChunks;
    THREADCHECK_ASSUME(chunks != nullptr);
    return reinterpret_cast<Cell*>(chunks + uintptr_t{slot - 1} * detail::kGranuleChunkBytes) +
           ((addr & (kPageSize - 1)) >> detail::kGranuleBits);
  }
  static bool isSplit(const Cell* granule) { return granule->w == kSplitGranule; }
  // The byte cell of `addr`, whose granule cell is `granule` (meaningful once it is split); the
  // cells of the following bytes up to the end of the page follow it.
  static Cell* byteCell(const Cell* granule, uintptr_t addr) {
    auto offset =
        static_cast<uintptr_t>(reinterpret_cast<const char*>(granule) - detail::g_granuleChunks);
    uintptr_t chunk = offset / detail::kGranuleChunkBytes;
    return reinterpret_cast<Cell*>(detail::g_byteChunks + chunk * detail::kByteChunkBytes) +
           (addr & (kPageSize - 1));
  }
  // Gives each byte of the granule at `addr` the granule's state, in its own cell; `cloneReads`
  // gives each byte after the first its own copy of the state's read part.
  using CloneReads = uint32_t (*)(uint32_t r);
  static void split(Cell* granule, uintptr_t addr, CloneReads cloneReads);
  // Forgets every access to [addr, addr + n): the memory is new (malloc, a new thread's stack).
  static void clear(uintptr_t addr, uintptr_t n, CloneReads cloneReads);
};

} // namespace threadcheck::rt
