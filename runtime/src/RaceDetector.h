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
}

class Race {
public:
  // At load under `threadcheck run` for an instrumented program: reserves the tables.
  static void init();
  // The program is instrumented and a schedule runs: accesses and sync are tracked.
  static bool on() { return detail::g_raceOn; }
  static void startSchedule(); // in the child, as exploration starts

  static void threadCreated(int32_t parent, int32_t child);
  static void threadStarted(int32_t tid); // on the new thread: forget its stack's old accesses
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
  static void clear(uintptr_t addr, uintptr_t size);

private:
  // Checks and updates byte by byte; `sizeCode` is the size of the whole access, for reports.
  static void access(uintptr_t addr, uintptr_t size, bool write, bool atomic, uintptr_t pc,
                     uint32_t sizeCode);
};

} // namespace threadcheck::rt
