// Scheduling strategies behind one interface. A strategy sees the choices at a scheduling point
// (which thread runs next, and how) and returns the index of the one to take.
#pragma once

#include "Record.h"

#include <cstdint>

namespace threadcheck::rt {

struct Object;

struct Choice {
  int32_t tid;
  Mode mode;
  bool preemption;   // the running thread could have continued
  const Object* obj; // what the thread is about to touch
};

class Strategy {
public:
  virtual ~Strategy() = default;
  // Returns the index of the chosen alternative, or -1 when the strategy cannot follow the
  // program any more (replay divergence).
  virtual int32_t pick(const Choice* choices, uint32_t n, uint64_t step) = 0;
  virtual void threadCreated(int32_t) {}
};

// Non-linear seed mixing: consecutive seeds give unrelated schedules.
inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The strategy for this schedule, configured from the shared record; lives in static storage.
Strategy* makeStrategy(SharedRecord* rec);

} // namespace threadcheck::rt
