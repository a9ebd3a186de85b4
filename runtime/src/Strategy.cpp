#include "Strategy.h"

#include <algorithm>
#include <cstddef>
#include <new>

namespace threadcheck::rt {
namespace {

class Rng {
public:
  explicit Rng(uint64_t seed) : state_(splitmix64(seed)) {}
  uint64_t next() { return splitmix64(state_++); }
  uint32_t below(uint32_t n) { return n ? static_cast<uint32_t>(next() % n) : 0; }

private:
  uint64_t state_;
};

// Timeouts and spurious wake-ups are rare events in real runs; taking them now and then (and
// always when nothing else can run) explores their handling without drowning the normal paths.
constexpr uint32_t kUnusualOneIn = 16;

uint32_t countRun(const Choice* c, uint32_t n) {
  uint32_t k = 0;
  while (k < n && c[k].mode == Mode::Run)
    ++k;
  return k;
}

class RandomStrategy final : public Strategy {
public:
  explicit RandomStrategy(uint64_t seed) : rng_(seed) {}
  int32_t pick(const Choice* c, uint32_t n, uint64_t) override {
    uint32_t runs = countRun(c, n);
    if (runs < n && (runs == 0 || rng_.below(kUnusualOneIn) == 0))
      return static_cast<int32_t>(runs + rng_.below(n - runs));
    return static_cast<int32_t>(rng_.below(runs));
  }

private:
  Rng rng_;
};

// PCT (Burckhardt et al.): random distinct thread priorities, d-1 random change points at which
// the running thread drops below every other thread.
class PctStrategy final : public Strategy {
public:
  PctStrategy(uint64_t seed, uint32_t depth, uint64_t expectedSteps) : rng_(seed), depth_(depth) {
    if (depth_ < 1)
      depth_ = 1;
    if (depth_ > kMaxChange + 1)
      depth_ = kMaxChange + 1;
    uint64_t k = expectedSteps ? expectedSteps : 64;
    for (uint32_t i = 0; i + 1 < depth_; ++i)
      change_[i] = 1 + rng_.next() % k;
  }
  void threadCreated(int32_t tid) override {
    if (tid >= 0 && static_cast<uint32_t>(tid) < kMaxThreads)
      prio_[tid] = depth_ + 1 + (rng_.next() >> 8);
  }
  int32_t pick(const Choice* c, uint32_t n, uint64_t step) override {
    uint32_t runs = countRun(c, n);
    if (runs < n && (runs == 0 || rng_.below(kUnusualOneIn) == 0))
      return static_cast<int32_t>(runs + rng_.below(n - runs));
    // The first choice is the running thread when it can go on.
    if (!c[0].preemption && runs > 0)
      for (uint32_t i = 0; i + 1 < depth_; ++i)
        if (change_[i] == step)
          prio_[c[0].tid] = i + 1;
    uint32_t best = 0;
    for (uint32_t i = 1; i < runs; ++i)
      if (prio_[c[i].tid] > prio_[c[best].tid])
        best = i;
    return static_cast<int32_t>(best);
  }

private:
  static constexpr uint32_t kMaxChange = 16;
  Rng rng_;
  uint32_t depth_;
  uint64_t change_[kMaxChange] = {};
  uint64_t prio_[kMaxThreads] = {};
};

// POS (Yuan et al.): every pending operation gets a random priority; the highest runs, and the
// operations that touch the same object as the one just run get fresh priorities, so races on
// one object are reordered independently of unrelated work.
class PosStrategy final : public Strategy {
public:
  explicit PosStrategy(uint64_t seed) : rng_(seed) {}
  void threadCreated(int32_t tid) override {
    if (tid >= 0 && static_cast<uint32_t>(tid) < kMaxThreads)
      prio_[tid] = rng_.next();
  }
  int32_t pick(const Choice* c, uint32_t n, uint64_t) override {
    uint32_t runs = countRun(c, n);
    if (runs < n && (runs == 0 || rng_.below(kUnusualOneIn) == 0))
      return static_cast<int32_t>(runs + rng_.below(n - runs));
    uint32_t best = 0;
    for (uint32_t i = 1; i < runs; ++i)
      if (prio_[c[i].tid] > prio_[c[best].tid])
        best = i;
    const Object* obj = c[best].obj;
    for (uint32_t i = 0; i < runs; ++i)
      if (i == best || (obj && c[i].obj == obj))
        prio_[c[i].tid] = rng_.next();
    return static_cast<int32_t>(best);
  }

private:
  Rng rng_;
  uint64_t prio_[kMaxThreads] = {};
};

// Depth-first search: follows the prefix the fork server computed, then always the first
// alternative (the running thread, no preemption). The server reads the alternatives back from
// the record to compute the next prefix.
class DfsStrategy final : public Strategy {
public:
  explicit DfsStrategy(SharedRecord* rec) : rec_(rec) {}
  int32_t pick(const Choice*, uint32_t n, uint64_t) override {
    uint32_t k = rec_->ndecisions;
    if (k < rec_->replayCount) {
      uint32_t idx = rec_->replay[k];
      return idx < n ? static_cast<int32_t>(idx) : -1;
    }
    return 0;
  }

private:
  SharedRecord* rec_;
};

class ReplayStrategy final : public Strategy {
public:
  explicit ReplayStrategy(SharedRecord* rec) : rec_(rec) {}
  int32_t pick(const Choice* c, uint32_t n, uint64_t) override {
    uint32_t k = rec_->ndecisions;
    if (k >= rec_->replayCount)
      return -1;
    uint32_t want = rec_->replay[k];
    for (uint32_t i = 0; i < n; ++i)
      if (packDecision(static_cast<uint32_t>(c[i].tid), c[i].mode) == want)
        return static_cast<int32_t>(i);
    return -1;
  }

private:
  SharedRecord* rec_;
};

// Raw bytes rather than a union with an empty destructor: that destructor is registered with
// atexit by a dynamic initialiser under GCC, and the runtime must have none (it may be entered
// from other libraries' constructors before its own would run).
constexpr size_t kStorageBytes = std::max({sizeof(RandomStrategy), sizeof(PctStrategy),
                                           sizeof(PosStrategy), sizeof(DfsStrategy),
                                           sizeof(ReplayStrategy)});
alignas(RandomStrategy) alignas(PctStrategy) alignas(PosStrategy) alignas(DfsStrategy)
    alignas(ReplayStrategy) constinit unsigned char storage[kStorageBytes];

} // namespace

Strategy* makeStrategy(SharedRecord* rec) {
  switch (rec->strategy) {
  case StrategyKind::Pct:
    return new (storage) PctStrategy(rec->seed, rec->pctDepth, rec->expectedSteps);
  case StrategyKind::Pos:
    return new (storage) PosStrategy(rec->seed);
  case StrategyKind::Dfs:
    return new (storage) DfsStrategy(rec);
  case StrategyKind::Replay:
    return new (storage) ReplayStrategy(rec);
  case StrategyKind::Random:
    break;
  }
  return new (storage) RandomStrategy(rec->seed);
}

} // namespace threadcheck::rt
