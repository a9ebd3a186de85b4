#include "Shadow.h"

#include "Arena.h"

#include <cstring>

namespace threadcheck::rt {
namespace detail {
uint32_t* g_shadowDir = nullptr;
char* g_granuleChunks = nullptr;
char* g_byteChunks = nullptr;
} // namespace detail
namespace {

using detail::g_byteChunks;
using detail::g_granuleChunks;
using detail::g_shadowDir;
constexpr unsigned kAddressBits = detail::kShadowAddressBits;
constexpr uintptr_t kDirEntries = uintptr_t{1} << (kAddressBits - Shadow::kPageBits);
constexpr uint32_t kMaxChunks = 2048; // 2 GiB of shadowed application pages per schedule

uint32_t g_nextChunk = 0;
uintptr_t g_chunkPage[kMaxChunks]; // the application page each chunk shadows

// The granule cells of an application page.
Cell* chunk(uintptr_t page, bool create) {
  uint32_t& slot = g_shadowDir[page];
  if (slot == 0) {
    if (!create || g_nextChunk >= kMaxChunks)
      return nullptr;
    g_chunkPage[g_nextChunk] = page;
    slot = ++g_nextChunk;
  }
  return reinterpret_cast<Cell*>(g_granuleChunks + (slot - 1) * detail::kGranuleChunkBytes);
}

// Forgets the accesses to [addr, end), which lie in one granule.
void clearPart(uintptr_t addr, uintptr_t end, Shadow::CloneReads cloneReads) {
  if (addr >> kAddressBits)
    return;
  Cell* g = chunk(addr >> Shadow::kPageBits, false);
  if (!g)
    return;
  g += (addr & (Shadow::kPageSize - 1)) >> detail::kGranuleBits;
  if (!Shadow::isSplit(g))
    Shadow::split(g, addr, cloneReads);
  Cell* b = Shadow::byteCell(g, addr);
  memset(b, 0, (end - addr) * sizeof(Cell));
}

} // namespace

bool Shadow::init() {
  if (g_shadowDir)
    return true;
  g_shadowDir = static_cast<uint32_t*>(reserveMemory(kDirEntries * sizeof(uint32_t)));
  g_granuleChunks =
      static_cast<char*>(reserveMemory(size_t{kMaxChunks} * detail::kGranuleChunkBytes));
  g_byteChunks = static_cast<char*>(reserveMemory(size_t{kMaxChunks} * detail::kByteChunkBytes));
  return g_shadowDir && g_granuleChunks && g_byteChunks;
}

void Shadow::reset() {
  for (uint32_t i = 0; i < g_nextChunk; ++i)
    g_shadowDir[g_chunkPage[i]] = 0;
  zeroMemory(g_granuleChunks,
             g_granuleChunks + uintptr_t{g_nextChunk} * detail::kGranuleChunkBytes);
  zeroMemory(g_byteChunks, g_byteChunks + uintptr_t{g_nextChunk} * detail::kByteChunkBytes);
  g_nextChunk = 0;
}

Cell* Shadow::granule(uintptr_t addr) {
  uintptr_t page = addr >> kPageBits;
  if (page >= kDirEntries)
    return nullptr;
  Cell* c = chunk(page, true);
  return c ? c + ((addr & (kPageSize - 1)) >> detail::kGranuleBits) : nullptr;
}

void Shadow::split(Cell* granule, uintptr_t addr, CloneReads cloneReads) {
  Cell* b = byteCell(granule, addr & ~(kGranule - 1));
  for (uintptr_t i = 0; i < kGranule; ++i) {
    b[i] = *granule;
    if (i > 0)
      b[i].r = cloneReads(granule->r);
  }
  *granule = Cell{0, kSplitGranule, 0, 0};
}

void Shadow::clear(uintptr_t addr, uintptr_t n, CloneReads cloneReads) {
  uintptr_t end = addr + n;
  if (end < addr)
    end = ~uintptr_t{0} & ~(kGranule - 1);
  if (addr >> kAddressBits)
    return;
  // Partial granules at the edges keep the state of their other bytes.
  if (addr & (kGranule - 1)) {
    uintptr_t stop = (addr | (kGranule - 1)) + 1;
    if (stop > end)
      stop = end;
    clearPart(addr, stop, cloneReads);
    addr = stop;
  }
  if (addr < end && (end & (kGranule - 1))) {
    uintptr_t start = end & ~(kGranule - 1);
    if (start < addr)
      start = addr;
    clearPart(start, end, cloneReads);
    end = start;
  }
  // Whole granules: a cleared granule cell is unsplit, so its old byte cells are never read.
  while (addr < end) {
    uintptr_t page = addr >> kPageBits;
    if (page >= kDirEntries)
      return;
    uintptr_t pageEnd = (page + 1) << kPageBits;
    uintptr_t stop = end < pageEnd ? end : pageEnd;
    if (Cell* c = chunk(page, false)) {
      Cell* from = c + ((addr & (kPageSize - 1)) >> detail::kGranuleBits);
      zeroMemory(from, from + ((stop - addr) >> detail::kGranuleBits));
    }
    addr = stop;
  }
}

} // namespace threadcheck::rt
