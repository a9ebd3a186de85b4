// The __tsan_* entry points for plain memory accesses, function entry and exit, virtual table
// pointers, memory functions and initialisation, as clang and gcc emit them under
// -fsanitize=thread (docs/runtime.md lists them). Outside a schedule (not under threadcheck,
// before the first thread, in the fork server, in a finished thread) they only do what the
// program asked for, so accesses from anywhere never crash.
#include "Instrument.h"

#include "CallStacks.h"
#include "RaceDetector.h"
#include "Strategy.h"

#include <cstring>

using namespace threadcheck::rt;

namespace threadcheck::rt {
namespace detail {
bool g_instrumented = false;
bool g_programInstrumented = false;
Tracking g_tracking = Tracking::Off;
uint64_t g_pointFilter[(1u << kPointFilterBits) / 64];
} // namespace detail

namespace {

constexpr uint32_t kSetBits = 12;
constexpr uint32_t kSetMask = (1u << kSetBits) - 1;
static_assert(kMaxRacyPcs * 2 <= kSetMask + 1);

AccessPoints g_mode = AccessPoints::None;
uint64_t g_set[kSetMask + 1]; // the racy set, open addressing (0: empty)
bool g_setEmpty = true;

} // namespace

void Instrument::init(AccessPoints mode) {
  g_mode = mode;
  Race::init();
  detail::g_instrumented = true;
}

void Instrument::shutdown() {
  endSchedule();
  detail::g_instrumented = false;
}

void Instrument::startSchedule(const SharedRecord* rec) {
  if (!detail::g_instrumented)
    return;
  forgetLoads();
  g_mode = rec->accessPoints;
  memset(g_set, 0, sizeof g_set);
  g_setEmpty = true;
  memset(detail::g_pointFilter, g_mode == AccessPoints::All ? 0xff : 0,
         sizeof detail::g_pointFilter);
  for (uint32_t i = 0; i < rec->racyCount && i < kMaxRacyPcs; ++i) {
    uint64_t pc = rec->racyPcs[i];
    uint32_t h = static_cast<uint32_t>(splitmix64(pc)) & kSetMask;
    while (g_set[h] != 0 && g_set[h] != pc)
      h = (h + 1) & kSetMask;
    g_set[h] = pc;
    g_setEmpty = false;
    uint32_t bit = detail::pointFilterBit(pc);
    detail::g_pointFilter[bit / 64] |= uint64_t{1} << (bit % 64);
  }
  bool noPoints = g_mode == AccessPoints::None || (g_mode == AccessPoints::Racy && g_setEmpty);
  Race::startSchedule();
  using detail::Tracking;
  detail::g_tracking = !Race::on() ? Tracking::Off
                       : noPoints  ? Tracking::On
                                   : Tracking::OnWithPoints;
}

void Instrument::endSchedule() {
  detail::g_tracking = detail::Tracking::Off;
  Race::endSchedule();
}

bool Instrument::inRacySet(uintptr_t pc) {
  if (g_mode == AccessPoints::All)
    return true;
  uint32_t h = static_cast<uint32_t>(splitmix64(pc)) & kSetMask;
  while (g_set[h] != 0) {
    if (g_set[h] == pc)
      return true;
    h = (h + 1) & kSetMask;
  }
  return false;
}

} // namespace threadcheck::rt

namespace {

// A plain access that may be a scheduling point, or that the detector's inline path cannot decide.
__attribute__((noinline)) void accessSlow(uintptr_t addr, uintptr_t size, bool write,
                                          uintptr_t pc) {
  if (!Instrument::tracking())
    return;
  if (Instrument::isPoint(pc))
    Scheduler::point(write ? Op::Write : Op::Read, nullptr);
  if (!Race::ownedAccess(addr, size, write, pc))
    Race::access(addr, size, write, false, pc);
}

// An access of part of a granule, or of several granules unaligned: ownedAccess() decides the
// owned cases (byte cells of split granules among them) without the slow path's checks.
__attribute__((noinline)) void accessPart(uintptr_t addr, uintptr_t size, bool write,
                                          uintptr_t pc) {
  if (!Race::ownedAccess(addr, size, write, pc))
    accessSlow(addr, size, write, pc);
}

// The common case makes no call, saves no register and reads one flag, one thread-local epoch
// and the shadow: a code location that is certainly no scheduling point, a known running thread
// (a finished one has no epoch), and an owned access of whole granules.
__attribute__((always_inline)) inline void onAccess(const volatile void* addr, uintptr_t size,
                                                    bool write, uintptr_t pc) {
  using detail::Tracking;
  Tracking tracking = detail::g_tracking;
  if (tracking == Tracking::Off)
    return;
  auto a = reinterpret_cast<uintptr_t>(const_cast<const void*>(addr));
  if (tracking == Tracking::On || !Instrument::mayBePoint(pc)) {
    if (!Race::wholeGranules(a, size))
      return accessPart(a, size, write, pc);
    if (Race::ownedGranules(a, size, write, pc))
      return;
  }
  accessSlow(a, size, write, pc);
}

} // namespace

#define TC_PC reinterpret_cast<uintptr_t>(__builtin_return_address(0))
#define TC_EXPORT extern "C" __attribute__((visibility("default")))

// Reads and writes of 1, 2, 4, 8 and 16 bytes, aligned, unaligned, volatile, and with an explicit
// pc (the _pc forms come from other instrumenters; the pc they pass is used as is).
#define TC_SIZED(n)                                                                                \
  TC_EXPORT void __tsan_read##n(void* a) {                                                         \
    onAccess(a, n, false, TC_PC);                                                                  \
  }                                                                                                \
  TC_EXPORT void __tsan_write##n(void* a) {                                                        \
    onAccess(a, n, true, TC_PC);                                                                   \
  }                                                                                                \
  TC_EXPORT void __tsan_unaligned_read##n(const void* a) {                                         \
    onAccess(a, n, false, TC_PC);                                                                  \
  }                                                                                                \
  TC_EXPORT void __tsan_unaligned_write##n(void* a) {                                              \
    onAccess(a, n, true, TC_PC);                                                                   \
  }                                                                                                \
  TC_EXPORT void __tsan_volatile_read##n(void* a) {                                                \
    onAccess(a, n, false, TC_PC);                                                                  \
  }                                                                                                \
  TC_EXPORT void __tsan_volatile_write##n(void* a) {                                               \
    onAccess(a, n, true, TC_PC);                                                                   \
  }                                                                                                \
  TC_EXPORT void __tsan_unaligned_volatile_read##n(void* a) {                                      \
    onAccess(a, n, false, TC_PC);                                                                  \
  }                                                                                                \
  TC_EXPORT void __tsan_unaligned_volatile_write##n(void* a) {                                     \
    onAccess(a, n, true, TC_PC);                                                                   \
  }                                                                                                \
  TC_EXPORT void __tsan_read##n##_pc(void* a, void* pc) {                                          \
    onAccess(a, n, false, reinterpret_cast<uintptr_t>(pc));                                        \
  }                                                                                                \
  TC_EXPORT void __tsan_write##n##_pc(void* a, void* pc) {                                         \
    onAccess(a, n, true, reinterpret_cast<uintptr_t>(pc));                                         \
  }

TC_SIZED(1)
TC_SIZED(2)
TC_SIZED(4)
TC_SIZED(8)
TC_SIZED(16)

TC_EXPORT void __tsan_read_range(void* a, unsigned long n) {
  onAccess(a, n, false, TC_PC);
}
TC_EXPORT void __tsan_write_range(void* a, unsigned long n) {
  onAccess(a, n, true, TC_PC);
}
TC_EXPORT void __tsan_read_range_pc(void* a, unsigned long n, void* pc) {
  onAccess(a, n, false, reinterpret_cast<uintptr_t>(pc));
}
TC_EXPORT void __tsan_write_range_pc(void* a, unsigned long n, void* pc) {
  onAccess(a, n, true, reinterpret_cast<uintptr_t>(pc));
}

// A virtual call reads the object's vtable pointer; a constructor or destructor writes it. Storing
// the value it already holds is not a write (a base-class destructor re-storing the vptr of an
// object other threads still use is benign).
TC_EXPORT void __tsan_vptr_update(void** vptr, void* value) {
  if (*vptr != value)
    onAccess(vptr, sizeof(void*), true, TC_PC);
}
TC_EXPORT void __tsan_vptr_read(void** vptr) {
  onAccess(vptr, sizeof(void*), false, TC_PC);
}

TC_EXPORT void __tsan_func_entry(void* pc) {
  Race::stackChanged();
  if (Instrument::instrumented() && Scheduler::enabled())
    CallStacks::enter(Scheduler::self(), reinterpret_cast<uintptr_t>(pc));
}
TC_EXPORT void __tsan_func_exit() {
  Race::stackChanged();
  if (Instrument::instrumented() && Scheduler::enabled())
    CallStacks::exit(Scheduler::self());
}

// Module constructors call this. The runtime initialises itself when it is loaded; in-process
// exploration turns race detection on when the program has instrumented code.
TC_EXPORT void __tsan_init() {
  threadcheck::rt::detail::g_programInstrumented = true;
}

// The memory functions perform the operation (the instrumentation replaced the call).
TC_EXPORT void* __tsan_memcpy(void* dst, const void* src, unsigned long n) {
  onAccess(src, n, false, TC_PC);
  onAccess(dst, n, true, TC_PC);
  return memcpy(dst, src, n);
}
TC_EXPORT void* __tsan_memmove(void* dst, const void* src, unsigned long n) {
  onAccess(src, n, false, TC_PC);
  onAccess(dst, n, true, TC_PC);
  return memmove(dst, src, n);
}
TC_EXPORT void* __tsan_memset(void* dst, int c, unsigned long n) {
  onAccess(dst, n, true, TC_PC);
  return memset(dst, c, n);
}

// Annotations from <sanitizer/tsan_interface.h>: explicit happens-before edges.
TC_EXPORT void __tsan_acquire(void* addr) {
  if (Instrument::tracking())
    Race::acquire(syncKey(addr));
}
TC_EXPORT void __tsan_release(void* addr) {
  if (Instrument::tracking())
    Race::release(syncKey(addr));
}
// Ignored regions are not supported: the accesses in them are checked like any other.
TC_EXPORT void __tsan_ignore_thread_begin() {}
TC_EXPORT void __tsan_ignore_thread_end() {}

// Present so that `threadcheck run` and `threadcheck cc` can tell this runtime from stock TSan's.
TC_EXPORT int __threadcheck_instrumentation_abi() {
  return 1;
}
