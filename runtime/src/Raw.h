// Raw system calls. The runtime must not call the functions it intercepts (sched_yield, nanosleep,
// syscall, pthread_*), and must not hand control between threads through anything a
// ThreadSanitizer-instrumented program would see as synchronisation, so it talks to the kernel
// directly.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace threadcheck::rt {

inline long rawSyscall6(long n, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 asm("r10") = d;
  register long r8 asm("r8") = e;
  register long r9 asm("r9") = f;
  asm volatile("syscall"
               : "=a"(ret)
               : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

inline long rawSyscall(long n, long a = 0, long b = 0, long c = 0, long d = 0) {
  return rawSyscall6(n, a, b, c, d, 0, 0);
}

inline void futexWait(std::atomic<uint32_t>* word, uint32_t expected) {
  rawSyscall(SYS_futex, reinterpret_cast<long>(word), FUTEX_WAIT_PRIVATE, expected, 0);
}

inline void futexWake(std::atomic<uint32_t>* word) {
  rawSyscall(SYS_futex, reinterpret_cast<long>(word), FUTEX_WAKE_PRIVATE, 1);
}

inline void rawWrite(int fd, const void* buf, size_t n) {
  const char* p = static_cast<const char*>(buf);
  while (n > 0) {
    long w = rawSyscall(SYS_write, fd, reinterpret_cast<long>(p), static_cast<long>(n));
    if (w <= 0)
      return;
    p += w;
    n -= static_cast<size_t>(w);
  }
}

[[noreturn]] inline void rawExit(int status) {
  for (;;)
    rawSyscall(SYS_exit_group, status);
}

inline uint64_t monotonicNs() {
  timespec ts{};
  rawSyscall(SYS_clock_gettime, CLOCK_MONOTONIC, reinterpret_cast<long>(&ts));
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

} // namespace threadcheck::rt
