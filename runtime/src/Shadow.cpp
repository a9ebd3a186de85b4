#include "Shadow.h"

#include "Arena.h"

#include <cstring>
#include <sys/mman.h>

namespace threadcheck::rt {
namespace detail {
uint32_t* g_shadowDir = nullptr;
char* g_shadowChunks = nullptr;
} // namespace detail
namespace {

using detail::g_shadowChunks;
using detail::g_shadowDir;
constexpr unsigned kAddressBits = detail::kShadowAddressBits;
constexpr uintptr_t kDirEntries = uintptr_t{1} << (kAddressBits - Shadow::kPageBits);
constexpr uint32_t kMaxChunks = 2048; // 2 GiB of shadowed application pages per schedule
constexpr uintptr_t kChunkBytes = Shadow::kPageSize * sizeof(Cell);

uint32_t g_nextChunk = 0;

Cell* chunk(uintptr_t page, bool create) {
  uint32_t& slot = g_shadowDir[page];
  if (slot == 0) {
    if (!create || g_nextChunk >= kMaxChunks)
      return nullptr;
    slot = ++g_nextChunk;
  }
  return reinterpret_cast<Cell*>(g_shadowChunks + (slot - 1) * kChunkBytes);
}

} // namespace

bool Shadow::init() {
  if (g_shadowDir)
    return true;
  g_shadowDir = static_cast<uint32_t*>(reserveMemory(kDirEntries * sizeof(uint32_t)));
  g_shadowChunks = static_cast<char*>(reserveMemory(kMaxChunks * kChunkBytes));
  return g_shadowDir && g_shadowChunks;
}

Cell* Shadow::cells(uintptr_t addr) {
  uintptr_t page = addr >> kPageBits;
  if (page >= kDirEntries)
    return nullptr;
  Cell* c = chunk(page, true);
  return c ? c + (addr & (kPageSize - 1)) : nullptr;
}

void Shadow::clear(uintptr_t addr, uintptr_t n) {
  uintptr_t end = addr + n;
  if (end < addr)
    end = ~uintptr_t{0};
  while (addr < end) {
    uintptr_t page = addr >> kPageBits;
    if (page >= kDirEntries)
      return;
    uintptr_t pageEnd = (page + 1) << kPageBits;
    uintptr_t stop = end < pageEnd ? end : pageEnd;
    if (Cell* c = chunk(page, false)) {
      char* from = reinterpret_cast<char*>(c + (addr & (kPageSize - 1)));
      char* to = from + (stop - addr) * sizeof(Cell);
      // Large ranges give their shadow pages back instead of writing zeros into them (which would
      // commit pages a fresh mmap'ed block never touched).
      constexpr uintptr_t kPage = 4096;
      auto lo = (reinterpret_cast<uintptr_t>(from) + kPage - 1) & ~(kPage - 1);
      auto hi = reinterpret_cast<uintptr_t>(to) & ~(kPage - 1);
      if (hi > lo + 16 * kPage) {
        memset(from, 0, lo - reinterpret_cast<uintptr_t>(from));
        madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
        memset(reinterpret_cast<void*>(hi), 0, reinterpret_cast<uintptr_t>(to) - hi);
      } else {
        memset(from, 0, static_cast<size_t>(to - from));
      }
    }
    addr = stop;
  }
}

} // namespace threadcheck::rt
