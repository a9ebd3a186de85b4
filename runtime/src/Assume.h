// THREADCHECK_ASSUME(cond): lets the optimiser drop a test the code knows is redundant, on every
// compiler the project supports. Clang has __builtin_assume; GCC 12 does not (and [[assume]] is
// C++23), but an unreachable branch tells it the same; elsewhere it is only an unchecked fact.
#pragma once

#if defined(__clang__)
#define THREADCHECK_ASSUME(cond) __builtin_assume(cond)
#elif defined(__GNUC__)
#define THREADCHECK_ASSUME(cond)                                                                   \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      __builtin_unreachable();                                                                     \
  } while (0)
#else
#define THREADCHECK_ASSUME(cond) static_cast<void>(0)
#endif
