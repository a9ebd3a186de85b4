// The __tsan_atomic* entry points: every operation of every width (8 to 128 bits) and the fences.
// Each performs the operation itself (sequentially consistent: exactly one thread runs under the
// scheduler, and outside it the strongest order is always correct), is a scheduling point, and
// gives the race detector its synchronisation edges by memory order.
//
// A thread that loads the value it loaded last time from the same location, with no write by
// anyone in between, is spinning: it yields instead (goes behind every other runnable thread), so
// spin loops are explored and never starve the thread they wait for.
#include "Instrument.h"
#include "RaceDetector.h"

#include <cstring>

using namespace threadcheck::rt;

namespace {

using u128 = unsigned __int128;

struct LastLoad {
  const volatile void* addr;
  u128 value;
  uint64_t stamp;
};
LastLoad g_last[kMaxThreads];
uint64_t g_stamp = 0; // bumped by every atomic modification

MemOrder order(int mo) {
  // gcc adds flags above the order (__ATOMIC_HLE_*, MEMMODEL_SYNC); the order is the low bits.
  switch (mo & 0x7fff) {
  case 0:
    return MemOrder::Relaxed;
  case 1:
    return MemOrder::Consume;
  case 2:
    return MemOrder::Acquire;
  case 3:
    return MemOrder::Release;
  case 4:
    return MemOrder::AcqRel;
  default:
    return MemOrder::SeqCst;
  }
}

// Width-generic operations; the 128-bit ones use cmpxchg16b (the file is built with -mcx16).
template <typename T> T load(const volatile T* a) {
  return __atomic_load_n(a, __ATOMIC_SEQ_CST);
}
template <typename T> void store(volatile T* a, T v) {
  __atomic_store_n(a, v, __ATOMIC_SEQ_CST);
}
template <typename T> bool cas(volatile T* a, T* expected, T desired) {
  return __atomic_compare_exchange_n(a, expected, desired, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST);
}

u128 cas128(volatile u128* a, u128 expected, u128 desired) {
  return __sync_val_compare_and_swap(a, expected, desired);
}
template <> u128 load<u128>(const volatile u128* a) {
  return cas128(const_cast<volatile u128*>(a), 0, 0);
}
template <> bool cas<u128>(volatile u128* a, u128* expected, u128 desired) {
  u128 old = cas128(a, *expected, desired);
  if (old == *expected)
    return true;
  *expected = old;
  return false;
}
template <> void store<u128>(volatile u128* a, u128 v) {
  u128 cur = load(a);
  while (!cas(a, &cur, v)) {
  }
}

enum class RmwOp { Exchange, Add, Sub, And, Or, Xor, Nand };

template <typename T> T apply(RmwOp op, T old, T v) {
  switch (op) {
  case RmwOp::Exchange:
    return v;
  case RmwOp::Add:
    return static_cast<T>(old + v);
  case RmwOp::Sub:
    return static_cast<T>(old - v);
  case RmwOp::And:
    return static_cast<T>(old & v);
  case RmwOp::Or:
    return static_cast<T>(old | v);
  case RmwOp::Xor:
    return static_cast<T>(old ^ v);
  case RmwOp::Nand:
    return static_cast<T>(~(old & v));
  }
  return v;
}

template <typename T> T rmwNative(volatile T* a, RmwOp op, T v) {
  T old = load(a);
  while (!cas(a, &old, apply(op, old, v))) {
  }
  return old;
}

// Before the operation: a scheduling point, or a yield when the thread spins on an unchanged value.
template <typename T> void before(const volatile T* a, Op op, bool mayBeSpin) {
  int32_t t = Scheduler::self();
  Object* obj = Scheduler::objectAny(const_cast<const T*>(a), ObjKind::Atomic);
  LastLoad& last = g_last[t];
  if (mayBeSpin && last.addr == a && last.stamp == g_stamp && last.value == static_cast<u128>(*a))
    Scheduler::yield(op, obj);
  else
    Scheduler::point(op, obj);
}

template <typename T> void sawValue(const volatile T* a, T v) {
  g_last[Scheduler::self()] = LastLoad{a, static_cast<u128>(v), g_stamp};
}

template <typename T> T atomicLoad(const volatile T* a, int mo, uintptr_t pc) {
  if (!Instrument::tracking())
    return load(a);
  before(a, Op::AtomicLoad, true);
  T v = load(a);
  Race::access(reinterpret_cast<uintptr_t>(a), sizeof(T), false, true, pc);
  Race::atomic(a, AtomicKind::Load, order(mo));
  sawValue(a, v);
  return v;
}

template <typename T> void atomicStore(volatile T* a, T v, int mo, uintptr_t pc) {
  if (!Instrument::tracking())
    return store(a, v);
  before(a, Op::AtomicStore, false);
  Race::access(reinterpret_cast<uintptr_t>(a), sizeof(T), true, true, pc);
  store(a, v);
  ++g_stamp;
  Race::atomic(a, AtomicKind::Store, order(mo));
}

template <typename T> T atomicRmw(volatile T* a, RmwOp op, T v, int mo, uintptr_t pc) {
  if (!Instrument::tracking())
    return rmwNative(a, op, v);
  before(a, Op::AtomicRmw, false);
  Race::access(reinterpret_cast<uintptr_t>(a), sizeof(T), true, true, pc);
  T old = rmwNative(a, op, v);
  ++g_stamp;
  Race::atomic(a, AtomicKind::Rmw, order(mo));
  return old;
}

// Returns whether it stored; `expected` receives the value seen.
template <typename T>
bool atomicCas(volatile T* a, T* expected, T desired, int mo, int failMo, uintptr_t pc) {
  if (!Instrument::tracking())
    return cas(a, expected, desired);
  // A failing compare-exchange loop is a spin loop too.
  before(a, Op::AtomicRmw, true);
  bool ok = cas(a, expected, desired);
  Race::access(reinterpret_cast<uintptr_t>(a), sizeof(T), ok, true, pc);
  if (ok) {
    ++g_stamp;
    Race::atomic(a, AtomicKind::Rmw, order(mo));
  } else {
    Race::atomic(a, AtomicKind::Load, order(failMo));
    sawValue(a, *expected);
  }
  return ok;
}

} // namespace

namespace threadcheck::rt {
void Instrument::forgetLoads() {
  memset(g_last, 0, sizeof g_last);
  g_stamp = 0;
}
} // namespace threadcheck::rt

#define TC_PC reinterpret_cast<uintptr_t>(__builtin_return_address(0))
#define TC_EXPORT extern "C" __attribute__((visibility("default")))

#define TC_RMW(bits, T, name, op)                                                                  \
  TC_EXPORT T __tsan_atomic##bits##_##name(volatile T* a, T v, int mo) {                           \
    return atomicRmw(a, RmwOp::op, v, mo, TC_PC);                                                  \
  }

#define TC_ATOMICS(bits, T)                                                                        \
  TC_EXPORT T __tsan_atomic##bits##_load(const volatile T* a, int mo) {                            \
    return atomicLoad(a, mo, TC_PC);                                                               \
  }                                                                                                \
  TC_EXPORT void __tsan_atomic##bits##_store(volatile T* a, T v, int mo) {                         \
    atomicStore(a, v, mo, TC_PC);                                                                  \
  }                                                                                                \
  TC_RMW(bits, T, exchange, Exchange)                                                              \
  TC_RMW(bits, T, fetch_add, Add)                                                                  \
  TC_RMW(bits, T, fetch_sub, Sub)                                                                  \
  TC_RMW(bits, T, fetch_and, And)                                                                  \
  TC_RMW(bits, T, fetch_or, Or)                                                                    \
  TC_RMW(bits, T, fetch_xor, Xor)                                                                  \
  TC_RMW(bits, T, fetch_nand, Nand)                                                                \
  TC_EXPORT int __tsan_atomic##bits##_compare_exchange_strong(volatile T* a, T* c, T v, int mo,    \
                                                              int fmo) {                           \
    return atomicCas(a, c, v, mo, fmo, TC_PC);                                                     \
  }                                                                                                \
  TC_EXPORT int __tsan_atomic##bits##_compare_exchange_weak(volatile T* a, T* c, T v, int mo,      \
                                                            int fmo) {                             \
    return atomicCas(a, c, v, mo, fmo, TC_PC);                                                     \
  }                                                                                                \
  TC_EXPORT T __tsan_atomic##bits##_compare_exchange_val(volatile T* a, T c, T v, int mo,          \
                                                         int fmo) {                                \
    atomicCas(a, &c, v, mo, fmo, TC_PC);                                                           \
    return c;                                                                                      \
  }

TC_ATOMICS(8, uint8_t)
TC_ATOMICS(16, uint16_t)
TC_ATOMICS(32, uint32_t)
TC_ATOMICS(64, uint64_t)
TC_ATOMICS(128, u128)

TC_EXPORT void __tsan_atomic_thread_fence(int mo) {
  __atomic_thread_fence(__ATOMIC_SEQ_CST);
  if (Instrument::tracking())
    Race::fence(order(mo));
}

// A signal fence orders nothing between threads.
TC_EXPORT void __tsan_atomic_signal_fence(int) {
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
