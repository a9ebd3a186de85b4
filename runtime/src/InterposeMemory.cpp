// memcpy, memmove and memset, for the race detector: gcc's instrumentation calls the C library's
// functions directly (clang calls __tsan_memcpy & co. instead), and instrumented programs' copies
// through libstdc++ land here too, as under TSan. Calls from the runtime itself are not accesses
// of the program and are not checked.
#include "Instrument.h"
#include "RaceDetector.h"

#include <dlfcn.h>
#include <link.h>

using namespace threadcheck::rt;

namespace {

using CopyFn = void* (*)(void*, const void*, size_t);
using SetFn = void* (*)(void*, int, size_t);

uintptr_t g_selfLo = 0, g_selfHi = 0; // this runtime's code

// Linked into an executable by `threadcheck cc`, the runtime's code is the section threadcheck_text
// (its archive's .text renamed; the executable's own code is beside it in one segment), whose
// bounds the linker defines. Null elsewhere: the shared runtime's code is its whole segment.
extern "C" const char __start_threadcheck_text[] __attribute__((weak, visibility("hidden")));
extern "C" const char __stop_threadcheck_text[] __attribute__((weak, visibility("hidden")));

int findSelf(dl_phdr_info* info, size_t, void*) {
  auto here = reinterpret_cast<uintptr_t>(&findSelf);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && here >= lo && here < lo + ph.p_memsz) {
      g_selfLo = lo;
      g_selfHi = lo + ph.p_memsz;
      return 1;
    }
  }
  return 0;
}

// Resolved at load; until then (another library's constructor) a plain loop does the work.
CopyFn g_memcpy = nullptr;
CopyFn g_memmove = nullptr;
SetFn g_memset = nullptr;

__attribute__((constructor(102))) void resolveMemoryFunctions() {
  g_memcpy = reinterpret_cast<CopyFn>(dlsym(RTLD_NEXT, "memcpy"));
  g_memmove = reinterpret_cast<CopyFn>(dlsym(RTLD_NEXT, "memmove"));
  g_memset = reinterpret_cast<SetFn>(dlsym(RTLD_NEXT, "memset"));
  if (__start_threadcheck_text) {
    g_selfLo = reinterpret_cast<uintptr_t>(__start_threadcheck_text);
    g_selfHi = reinterpret_cast<uintptr_t>(__stop_threadcheck_text);
  } else {
    dl_iterate_phdr(findSelf, nullptr);
  }
}

// True when the call is the program's (so its accesses are checked, and it may be a scheduling
// point like any racy access).
inline bool checked(uintptr_t caller) {
  if (!Instrument::tracking() || (caller >= g_selfLo && caller < g_selfHi))
    return false;
  if (Instrument::isPoint(caller))
    Scheduler::point(Op::Write, nullptr);
  return true;
}

__attribute__((noinline)) void* slowMove(void* dst, const void* src, size_t n) {
  auto* d = static_cast<volatile unsigned char*>(dst);
  const auto* s = static_cast<const volatile unsigned char*>(src);
  if (d < s)
    for (size_t i = 0; i < n; ++i)
      d[i] = s[i];
  else
    for (size_t i = n; i-- > 0;)
      d[i] = s[i];
  return dst;
}

__attribute__((noinline)) void* slowSet(void* dst, int c, size_t n) {
  auto* d = static_cast<volatile unsigned char*>(dst);
  for (size_t i = 0; i < n; ++i)
    d[i] = static_cast<unsigned char>(c);
  return dst;
}

} // namespace

#define TC_PC reinterpret_cast<uintptr_t>(__builtin_return_address(0))

extern "C" {

void* memcpy(void* dst, const void* src, size_t n) {
  if (uintptr_t pc = TC_PC; checked(pc)) {
    Race::access(reinterpret_cast<uintptr_t>(src), n, false, false, pc);
    Race::access(reinterpret_cast<uintptr_t>(dst), n, true, false, pc);
  }
  return g_memcpy ? g_memcpy(dst, src, n) : slowMove(dst, src, n);
}

void* memmove(void* dst, const void* src, size_t n) {
  if (uintptr_t pc = TC_PC; checked(pc)) {
    Race::access(reinterpret_cast<uintptr_t>(src), n, false, false, pc);
    Race::access(reinterpret_cast<uintptr_t>(dst), n, true, false, pc);
  }
  return g_memmove ? g_memmove(dst, src, n) : slowMove(dst, src, n);
}

void* memset(void* dst, int c, size_t n) {
  if (uintptr_t pc = TC_PC; checked(pc))
    Race::access(reinterpret_cast<uintptr_t>(dst), n, true, false, pc);
  return g_memset ? g_memset(dst, c, n) : slowSet(dst, c, n);
}

} // extern "C"
