// Linked, with the whole runtime, into every executable `threadcheck cc` / `threadcheck c++`
// build. Such a program calls the __tsan_* entry points inside itself and imports none, so this
// symbol is how `threadcheck run` and `threadcheck replay` tell it from a program that links the
// runtime in only to explore in-process (threadcheck::runtime).
extern "C" __attribute__((visibility("default"), used))
const int __threadcheck_instrumented_program = 1;
