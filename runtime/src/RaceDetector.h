// Happens-before race detection (FastTrack: vector clocks for threads and synchronisation objects,
// epochs for the common case of a byte last accessed by one thread) over the plain and atomic
// accesses of instrumented code. Synchronisation edges come from the operations the scheduler
// models (the interposers call acquire/release) and from atomics with their memory orders,
// including fences; the scheduler's own hand-offs are raw futexes the detector never sees.
//
// A race does not end the schedule: the first one is recorded as a soft finding (reported when
// the schedule fails no harder), and the code locations of every race feed race-directed
// scheduling.
#pragma once

#include "CallStacks.h"
#include "Record.h"
#include "Scheduler.h"
#include "Shadow.h"

#include <cstddef>
#include <cstdint>

namespace threadcheck::rt {

enum class MemOrder : uint8_t { Relaxed, Consume, Acquire, Release, AcqRel, SeqCst };
enum class AtomicKind : uint8_t { Load, Store, Rmw };

// Access sizes as recorded in the shadow: 1, 2, 4, 8, 16 bytes, or part of a range (memcpy).
inline constexpr uint32_t kSizeRange = 7;
inline uint32_t sizeCode(uintptr_t size) {
  return size == 1    ? 0
         : size == 2  ? 1
         : size == 4  ? 2
         : size == 8  ? 3
         : size == 16 ? 4
                      : kSizeRange;
}

// Distinct synchronisation keys for one address.
enum class SyncTag : uint8_t { Object = 0, RwReaders = 1, Futex = 2, BarrierDone = 3 };
inline uintptr_t syncKey(const void* addr, SyncTag tag = SyncTag::Object) {
  return reinterpret_cast<uintptr_t>(addr) | (static_cast<uintptr_t>(tag) << 56);
}

namespace detail {
extern bool g_raceOn;
// Each thread's vector clock. The detector's data read on the access path is hidden: no GOT load.
extern uint32_t g_clock[kMaxThreads][kMaxThreads] __attribute__((visibility("hidden")));

inline constexpr uint32_t kEpochTidMask = 0xff; // an epoch is (clock << 8) | thread, 0: never
inline constexpr uint32_t kSharedRead = 0x80000000u;
inline constexpr uint32_t kSiteMemo = 8;

// The running thread as the detector knows it, in initial-exec TLS so that the per-access path
// needs no call to find it. `sched` is null until the thread is known (then the slow path asks
// the scheduler).
struct RaceThread {
  // The thread's current epoch while its accesses count (race detection on, the thread known and
  // not finished), else 0: the one value the inline access path needs about the thread. Kept in
  // step with its clock (only the thread itself advances it).
  uint32_t epoch;
  int32_t tid;
  const Thread* sched;
  // The access sites (call-stack nodes) of the last few code locations, valid while `stackGen`
  // (bumped by every function entry and exit) is unchanged: the same stack with the same pc is
  // the same node.
  uint32_t stackGen;
  struct Memo {
    uintptr_t pc;
    uint32_t gen;
    uint32_t site;
  } memo[kSiteMemo];
};
extern __thread RaceThread t_race __attribute__((visibility("hidden")));

inline uint64_t epochsOf(const Cell& c) {
  uint64_t v;
  __builtin_memcpy(&v, &c.w, sizeof v);
  return v;
}
static_assert(offsetof(Cell, r) == offsetof(Cell, w) + sizeof(uint32_t));

// True when the cell's last write and read epochs are this thread's or none: program order
// orders this thread's new access after them, whatever the clocks say.
// (A split granule's marker is no epoch and never owned.)
inline bool ownedBy(uint64_t epochs, uint32_t t) {
  auto w = static_cast<uint32_t>(epochs);
  auto r = static_cast<uint32_t>(epochs >> 32);
  return (w == 0 || (w & (kSplitGranule | kEpochTidMask)) == t) &&
         (r == 0 || (r & (kSharedRead | kEpochTidMask)) == t);
}
// The `n` cells of an access hold one state (nearly always so for a small access: the same
// accesses covered them), owned by the thread of epoch `e`.
inline bool ownedCells(const Cell* c, uintptr_t n, uint32_t e) {
  uint64_t epochs = epochsOf(c[0]);
  for (uintptr_t i = 1; i < n; ++i)
    if (epochsOf(c[i]) != epochs)
      return false;
  return ownedBy(epochs, e & kEpochTidMask);
}
inline uint32_t memoSlot(uintptr_t pc) {
  return static_cast<uint32_t>(pc ^ (pc >> 3)) & (kSiteMemo - 1);
}
} // namespace detail

class Race {
public:
  // At load under `threadcheck run` for an instrumented program: reserves the tables.
  static void init();
  // The program is instrumented and a schedule runs: accesses and sync are tracked.
  static bool on() { return detail::g_raceOn; }
  static void startSchedule(); // in the child, as exploration starts; in-process, per schedule
  static void endSchedule();   // in-process, by the controller: accesses are no longer tracked
  // The calling thread's accesses are no longer the schedule's (in-process: the body's thread
  // returned, its exit path runs alongside the controller).
  static void threadLeaving();

  static void threadCreated(int32_t parent, int32_t child);
  static void threadStarted(int32_t tid); // on the new thread: forget its stack's old accesses
  static void threadFinished();           // on the thread: its later accesses are not the program's
  static void threadJoined(int32_t joiner, int32_t target);

  static void acquire(uintptr_t key);      // the caller's clock takes in the object's
  static void release(uintptr_t key);      // the object's clock takes in the caller's
  static void releaseStore(uintptr_t key); // the object's clock becomes the caller's
  static void forget(uintptr_t key);       // the object was destroyed
  static void copy(uintptr_t to, uintptr_t from);

  static void atomic(const volatile void* addr, AtomicKind kind, MemOrder mo);
  static void fence(MemOrder mo);

  // A plain or atomic access of [addr, addr + size) by the running thread from code at `pc` (a
  // return address into the accessing code).
  static void access(uintptr_t addr, uintptr_t size, bool write, bool atomic, uintptr_t pc);
  // FastTrack's common cases of a plain access, decided inline: when every byte was last accessed
  // only by this thread (same epoch, or an earlier epoch of its own), no clock is compared, only
  // the new epoch and site are stored. False (nothing done) when access() must decide.
  __attribute__((always_inline)) static bool ownedAccess(uintptr_t addr, uintptr_t size, bool write,
                                                         uintptr_t pc);
  // The inline path of every access: ownedAccess() for whole granules (4, 8 or 16 bytes aligned
  // to their size, so never across a page) whose site is memoised, with nothing out of line to
  // call. False (nothing done) in every other case.
  static bool wholeGranules(uintptr_t addr, uintptr_t size) {
    return (size == 4 || size == 8 || size == 16) && (addr & (size - 1)) == 0;
  }
  __attribute__((always_inline)) static bool ownedGranules(uintptr_t addr, uintptr_t size,
                                                           bool write, uintptr_t pc);
  static void clear(uintptr_t addr, uintptr_t size);
  // The running thread's detector id.
  static int32_t self() { return detail::t_race.sched ? detail::t_race.tid : Scheduler::self(); }
  // The access site of the running thread's current stack with `pc` on top.
  __attribute__((always_inline)) static uint32_t site(int32_t tid, uintptr_t pc) {
    detail::RaceThread& me = detail::t_race;
    uint32_t slot = detail::memoSlot(pc);
    const detail::RaceThread::Memo& m = me.memo[slot];
    if (me.sched && m.pc == pc && m.gen == me.stackGen)
      return m.site;
    return siteMiss(tid, pc, slot);
  }
  // The running thread's call stack changed (function entry or exit).
  static void stackChanged() { ++detail::t_race.stackGen; }

private:
  static void reset();
  // Kept out of line: the inline access path then makes no call and saves no registers.
  __attribute__((noinline, cold)) static uint32_t siteMiss(int32_t tid, uintptr_t pc,
                                                           uint32_t slot);
  // Checks and updates byte by byte; `sizeCode` is the size of the whole access, for reports.
  static void access(uintptr_t addr, uintptr_t size, bool write, bool atomic, uintptr_t pc,
                     uint32_t sizeCode);
  // The owned access's update of `n` cells: its epoch `e` and site `s` become the last write (and
  // no read), or the last read.
  __attribute__((always_inline)) static void storeOwned(Cell* c, uintptr_t n, bool write,
                                                        uint32_t e, uint32_t s) {
    uint64_t read = e | (uint64_t{s} << 32);
    for (uintptr_t i = 0; i < n; ++i) {
      if (write)
        c[i] = Cell{s, e, 0, 0};
      else
        __builtin_memcpy(&c[i].r, &read, sizeof read);
    }
  }
};
static_assert(offsetof(Cell, rSite) == offsetof(Cell, r) + sizeof(uint32_t));

inline bool Race::ownedAccess(uintptr_t addr, uintptr_t size, bool write, uintptr_t pc) {
  const detail::RaceThread& me = detail::t_race;
  uint32_t e = me.epoch;
  if (!e || size - 1 >= 16 || ((addr ^ (addr + size - 1)) >> Shadow::kPageBits) != 0)
    return false;
  Cell* g = Shadow::existingGranule(addr);
  if (!g)
    return false;
  Cell* c = g;
  uintptr_t n = size >> detail::kGranuleBits;
  if ((addr | size) & (Shadow::kGranule - 1)) {
    // Part of a granule: its byte cells, if every granule the access touches is split already.
    uintptr_t last = ((addr + size - 1) >> detail::kGranuleBits) - (addr >> detail::kGranuleBits);
    for (uintptr_t i = 0; i <= last; ++i)
      if (!Shadow::isSplit(g + i))
        return false;
    c = Shadow::byteCell(g, addr);
    n = size;
  }
  if (!detail::ownedCells(c, n, e))
    return false;
  storeOwned(c, n, write, e, site(me.tid, pc) | (sizeCode(size) << 24));
  return true;
}

inline bool Race::ownedGranules(uintptr_t addr, uintptr_t size, bool write, uintptr_t pc) {
  const detail::RaceThread& me = detail::t_race;
  uint32_t e = me.epoch;
  Cell* c = Shadow::existingGranule(addr);
  if (!e || !c)
    return false;
  uintptr_t n = size >> detail::kGranuleBits;
  if (!detail::ownedCells(c, n, e))
    return false;
  const detail::RaceThread::Memo& m = me.memo[detail::memoSlot(pc)];
  if (m.pc != pc || m.gen != me.stackGen)
    return false;
  storeOwned(c, n, write, e, m.site | (sizeCode(size) << 24));
  return true;
}

} // namespace threadcheck::rt
