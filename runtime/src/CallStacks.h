// Call stacks of instrumented code without unwinding: each thread keeps the return addresses that
// __tsan_func_entry hands over, and a stack is named by a node of a trie of (caller node, pc), so
// the race detector stores a whole stack in 24 bits and can print it long after the thread moved
// on (the earlier access of a race).
#pragma once

#include <cstdint>

namespace threadcheck::rt {

class CallStacks {
public:
  static constexpr uint32_t kMaxNode = (1u << 24) - 1;

  static bool init(); // reserves the trie; false when it cannot
  static void enter(int32_t tid, uintptr_t pc);
  static void exit(int32_t tid);
  static void reset(int32_t tid); // a new thread starts with an empty stack
  // Before another schedule in the same process: the trie is kept (the same stacks recur) unless
  // it is half full, when it starts afresh.
  static void startSchedule();
  // The node naming the thread's current stack with `pc` (a return address into the accessing
  // code) on top; 0 when the trie is full.
  static uint32_t site(int32_t tid, uintptr_t pc);
  // The stack of `node`, innermost first, as call-site addresses (return address minus one).
  static uint32_t frames(uint32_t node, uintptr_t* out, uint32_t max);
  static uintptr_t pc(uint32_t node);
};

} // namespace threadcheck::rt
