// malloc and friends. Freed memory holds no synchronisation object any more (a std::promise's
// shared state freed and allocated again at the same address has a fresh once flag), in both
// modes. For the race detector: memory handed out again is new memory, so its
// shadow is cleared (glibc's allocator synchronises internally, invisibly to the detector, and a
// block freed by one thread and reused by another would otherwise look like a race), and blocks
// are remembered to name the heap object in race reports. Without race detection every call goes
// straight to glibc.
#include "Heap.h"
#include "Instrument.h"
#include "RaceDetector.h"
#include "Scheduler.h"
#include "Strategy.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void __libc_free(void*);
size_t malloc_usable_size(void*);
void* __libc_memalign(size_t, size_t);
}

using namespace threadcheck::rt;

namespace {

constexpr uint32_t kBlockBits = 16;
constexpr uint32_t kBlockMask = (1u << kBlockBits) - 1;

struct HeapBlock {
  uintptr_t addr;
  size_t size;
  int32_t tid;
  bool live;
};

// Keyed by block address; a freed block keeps its slot (marked dead) until the address is reused.
HeapBlock g_blocks[kBlockMask + 1];

// A new block may take a dead block's slot: in-process exploration allocates in one process for
// many schedules, and dead blocks would otherwise fill the table.
HeapBlock* slot(uintptr_t addr, bool create) {
  uint32_t h = static_cast<uint32_t>(splitmix64(addr)) & kBlockMask;
  HeapBlock* free = nullptr;
  for (uint32_t i = 0; i < 64; ++i) {
    HeapBlock& b = g_blocks[(h + i) & kBlockMask];
    if (b.addr == addr)
      return &b;
    if (!free && !b.live)
      free = &b;
    if (b.addr == 0)
      break;
  }
  return create ? free : nullptr;
}

// The program's allocations, not those of threads outside the explored body (in-process: the
// test's own threads, the controller), which run alongside it.
bool tracked() {
  return Instrument::instrumented() && (!Scheduler::inProcess() || Scheduler::member());
}

// Blocks are remembered from the start (a block main allocates before its first thread is what
// threads later race on); shadow is cleared only while a schedule runs.
void* allocated(void* p, size_t size) {
  if (p && tracked()) {
    auto a = reinterpret_cast<uintptr_t>(p);
    Race::clear(a, size);
    if (HeapBlock* b = slot(a, true))
      *b = HeapBlock{a, size, Scheduler::self(), true};
  }
  return p;
}

void markDead(void* p) {
  if (p && tracked())
    if (HeapBlock* b = slot(reinterpret_cast<uintptr_t>(p), false))
      b->live = false;
}

void released(void* p) {
  if (p && Scheduler::holdsObjects())
    Scheduler::memoryFreed(p, malloc_usable_size(p));
  markDead(p);
}

} // namespace

namespace threadcheck::rt {

bool describeHeapBlock(uintptr_t addr, char* buf, size_t cap) {
  for (const HeapBlock& b : g_blocks)
    if (b.live && addr >= b.addr && addr < b.addr + b.size) {
      snprintf(buf, cap,
               "in a heap block of %zu bytes at %p, offset %zu, allocated by thread %d '%s'",
               b.size, reinterpret_cast<void*>(b.addr), static_cast<size_t>(addr - b.addr), b.tid,
               Scheduler::name(b.tid));
      return true;
    }
  return false;
}

} // namespace threadcheck::rt

extern "C" {

void* malloc(size_t n) {
  return allocated(__libc_malloc(n), n);
}

void* calloc(size_t n, size_t size) {
  void* p = __libc_calloc(n, size);
  return allocated(p, p ? n * size : 0);
}

void* realloc(void* old, size_t n) {
  // Objects in a block that grows in place stay where they are; a moved block was freed.
  size_t oldSize = old && Scheduler::holdsObjects() ? malloc_usable_size(old) : 0;
  markDead(old);
  void* p = __libc_realloc(old, n);
  if (oldSize && p != old && (p || n == 0))
    Scheduler::memoryFreed(old, oldSize);
  return allocated(p, n);
}

void free(void* p) {
  released(p);
  __libc_free(p);
}

void* memalign(size_t align, size_t n) {
  return allocated(__libc_memalign(align, n), n);
}

void* aligned_alloc(size_t align, size_t n) {
  return allocated(__libc_memalign(align, n), n);
}

int posix_memalign(void** out, size_t align, size_t n) {
  if (align % sizeof(void*) != 0 || (align & (align - 1)) != 0)
    return EINVAL;
  void* p = __libc_memalign(align, n);
  if (!p)
    return ENOMEM;
  *out = allocated(p, n);
  return 0;
}

} // extern "C"
