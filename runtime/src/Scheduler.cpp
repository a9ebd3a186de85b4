#include "Scheduler.h"

#include "ForkServer.h"
#include "InProcess.h"
#include "RaceDetector.h"
#include "Raw.h"
#include "Stack.h"
#include "Strategy.h"
#include "TimeSlice.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <new>
#include <poll.h>
#include <pthread.h>

namespace threadcheck::rt {
namespace {

constexpr uint32_t kObjectCap = 1u << 16; // open addressing, power of two
constexpr uint32_t kOrderCap = 256;       // mutexes tracked for lock-order inversion
constexpr uint32_t kSpuriousBudget = 2;   // spurious wake-ups per schedule
constexpr uint32_t kCmdCapture = 1;
constexpr uint32_t kCmdPark = 0xffffffffu; // in-process: the schedule was abandoned

SharedRecord* g_rec = nullptr;
bool g_enabled = false;
bool g_active = false;
Strategy* g_strategy = nullptr;
Thread g_threads[kMaxThreads];
uint32_t g_nthreads = 0;
int32_t g_current = 0;
uint32_t g_spurious = 0;
uint32_t g_nextObjId = 1;
Object g_objects[kObjectCap];
// Slots of g_objects in use, so that an in-process schedule clears only what the last one used.
uint32_t g_usedSlots[kObjectCap];
uint32_t g_nusedSlots = 0;
// The same slots ordered by address, so that freeing a heap block finds the objects inside it.
uint32_t g_byAddr[kObjectCap];
uint32_t g_nbyAddr = 0;
// First thread (plus one) that took mutex `a` while holding mutex `b`, indexed [a][b] by
// object id; all zero in a fresh child because the fork server never runs a schedule itself.
uint16_t g_order[kOrderCap][kOrderCap];
thread_local int32_t t_self = 0;
// The thread belongs to the explored program: under `threadcheck run` every thread of the
// process, in-process only the body's thread and the threads it creates (not the test's own).
thread_local bool t_member = false;
// In-process: the schedule the thread belongs to. A thread of an abandoned schedule (one that
// was stuck in an unmodelled blocking call when the schedule timed out) parks when it comes back.
thread_local uint32_t t_epoch = 0;
bool g_inProcess = false;
std::atomic<uint32_t> g_epoch{1};
// Set while the runtime itself runs library code that may call intercepted functions (the
// unwinder's pthread_once, stdio in the fork server): those calls go straight to glibc.
thread_local int32_t t_bypass = 0;

struct Bypass {
  Bypass() { ++t_bypass; }
  ~Bypass() { --t_bypass; }
};

// Index into g_byAddr of the first object at or above `a`.
uint32_t firstAtOrAbove(uintptr_t a) {
  uint32_t lo = 0, hi = g_nbyAddr;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (g_objects[g_byAddr[mid]].addr < a)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

uint64_t mix(uint64_t h, uint64_t v) {
  return splitmix64(h ^ (v + 0x9e3779b97f4a7c15ull));
}

bool ready(const Thread& t) {
  const Object* o = t.waitObj;
  switch (t.block) {
  case Block::None:
    return true;
  case Block::Mutex:
    return o->owner < 0;
  case Block::ReadLock:
    return o->owner < 0;
  case Block::WriteLock:
    return o->owner < 0 && o->readers == 0;
  case Block::Join:
    return g_threads[t.joinTarget].block == Block::Finished;
  case Block::Sem:
    return o->count > 0;
  case Block::Barrier:
    return o->generation != t.barrierGen;
  case Block::Once:
    return o->onceState != 1;
  case Block::Io:
    return Scheduler::ioReady(t.ioFds, t.ioNfds);
  case Block::Cond:
  case Block::Futex:
  case Block::Finished:
    return false;
  }
  return false;
}

// A waiter on a condition variable may leave by timeout or spuriously only when it can take its
// mutex back at once, so that every decision lets its thread run.
bool canWakeUnsignalled(const Thread& t) {
  if (t.block == Block::Cond)
    return t.condMutex->owner < 0;
  return true;
}

void appendf(char* buf, size_t cap, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
void appendf(char* buf, size_t cap, const char* fmt, ...) {
  size_t len = strnlen(buf, cap);
  if (len + 1 >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, cap - len, fmt, ap);
  va_end(ap);
}

const char* objPrefix(ObjKind k) {
  switch (k) {
  case ObjKind::Mutex:
    return "mutex";
  case ObjKind::RwLock:
    return "rwlock";
  case ObjKind::Cond:
    return "condition variable";
  case ObjKind::Futex:
    return "futex word";
  case ObjKind::Sem:
    return "semaphore";
  case ObjKind::Barrier:
    return "barrier";
  case ObjKind::Once:
    return "once flag";
  case ObjKind::Atomic:
    return "atomic";
  default:
    return "object";
  }
}

void describeObj(char* buf, size_t cap, const Object* o) {
  appendf(buf, cap, "%s #%u (%p)", objPrefix(o->kind), o->id, reinterpret_cast<void*>(o->addr));
}

void describeThread(char* buf, size_t cap, int32_t tid) {
  appendf(buf, cap, "thread %d '%s'", tid, g_rec->names[tid]);
}

void switchTo(int32_t next);

// A thread still waiting at its start (parked before its entry function) shows that function as
// its innermost frame: its stack alone would show only where threads start.
void withEntry(InvolvedThread& inv, int32_t tid) {
  uintptr_t entry = g_rec->entries[tid];
  const Thread& t = g_threads[tid];
  if (!entry || tid == g_current || t.pendingOp != Op::ThreadStart)
    return;
  uint32_t n = inv.nframes < kMaxFrames ? inv.nframes : kMaxFrames - 1;
  memmove(inv.frames + 1, inv.frames, n * sizeof inv.frames[0]);
  inv.frames[0] = entry;
  inv.nframes = n + 1;
}

// In-process: a thread of a schedule that is over never runs program code again.
void leaveIfStale() {
  if (t_epoch != 0 && t_epoch != g_epoch.load(std::memory_order_acquire))
    InProcess::park(false);
}

void serveCommands(Thread& me) {
  for (;;) {
    while (me.turn.load(std::memory_order_acquire) == 0)
      futexWait(&me.turn, 0);
    uint32_t cmd = me.cmd.load(std::memory_order_relaxed);
    if (cmd == 0)
      return;
    if (cmd == kCmdPark)
      InProcess::park(true);
    // Another thread is reporting a finding and wants this thread's stack.
    InvolvedThread& slot = *me.captureInto;
    {
      Bypass b;
      slot.nframes = captureStack(slot.frames, kMaxFrames);
    }
    withEntry(slot, t_self);
    me.cmd.store(0, std::memory_order_relaxed);
    Thread& req = g_threads[me.requester];
    me.turn.store(0, std::memory_order_relaxed);
    req.turn.store(1, std::memory_order_release);
    futexWake(&req.turn);
  }
}

void switchTo(int32_t next) {
  int32_t me = t_self;
  if (next == me)
    return;
  g_current = next;
  g_rec->current = static_cast<uint32_t>(next);
  Thread& self = g_threads[me];
  // Read before the hand-over: once `next` runs, an in-process schedule may end and the slot be
  // reused while this (finished) thread is still on its way out.
  bool finished = self.block == Block::Finished;
  self.turn.store(0, std::memory_order_relaxed);
  g_threads[next].turn.store(1, std::memory_order_release);
  futexWake(&g_threads[next].turn);
  if (!finished)
    serveCommands(self);
}

// Fills `inv` with thread `tid`'s stack: the caller's own, or, for a thread waiting for its
// turn, the one it records itself when handed the turn with a capture command.
void captureInvolved(InvolvedThread& inv, int32_t tid) {
  inv.tid = static_cast<uint32_t>(tid);
  memcpy(inv.name, g_rec->names[tid], kNameLen);
  Thread& t = g_threads[tid];
  if (tid == t_self) {
    Bypass b;
    inv.nframes = captureStack(inv.frames, kMaxFrames);
    return;
  }
  if (t.block == Block::Finished || !t.started) {
    // No stack to walk: at least which function the thread runs (or ran).
    inv.nframes = 0;
    if (uintptr_t entry = g_rec->entries[tid]) {
      inv.frames[0] = entry;
      inv.nframes = 1;
    }
    return;
  }
  Thread& me = g_threads[t_self];
  t.requester = t_self;
  t.captureInto = &inv;
  t.cmd.store(kCmdCapture + 1, std::memory_order_relaxed);
  me.turn.store(0, std::memory_order_relaxed);
  t.turn.store(1, std::memory_order_release);
  futexWake(&t.turn);
  while (me.turn.load(std::memory_order_acquire) == 0)
    futexWait(&me.turn, 0);
}

[[noreturn]] void noChoice();

// Fair scheduling (CHESS, Musuvathi and Qadeer 2008): a thread that yields does not run again
// while a thread that was enabled at its yield and has not been scheduled since can run. A
// thread's `after` set only gains members while it runs, and loses a member whenever that one is
// scheduled, so the relation is acyclic and some enabled thread is always eligible.
constexpr uint32_t kWords = kMaxThreads / 64;
uint64_t g_fairPending[kWords]; // threads whose `after` set is not empty

bool anyFairPending() {
  uint64_t any = 0;
  for (uint64_t w : g_fairPending)
    any |= w;
  return any != 0;
}

// Ready, or able to leave its wait by a timeout: a yielder lets such a thread's time pass first.
bool enabledThread(const Thread& th) {
  return th.used && th.block != Block::Finished &&
         (ready(th) || (th.timed && canWakeUnsignalled(th)));
}

void scheduled(int32_t tid) {
  uint64_t bit = uint64_t{1} << (tid % 64);
  for (uint32_t w = 0; w < kWords; ++w)
    for (uint64_t pend = g_fairPending[w]; pend; pend &= pend - 1) {
      uint32_t t = w * 64 + static_cast<uint32_t>(__builtin_ctzll(pend));
      Thread& th = g_threads[t];
      th.after[tid / 64] &= ~bit;
      uint64_t left = 0;
      for (uint64_t a : th.after)
        left |= a;
      if (!left)
        g_fairPending[w] &= ~(uint64_t{1} << (t % 64));
    }
}

// Nobody can run, and some thread waits for I/O that only something outside the schedule can
// complete (another process, the network, a timerfd): wait for the kernel. Returns false when no
// thread waits for I/O. The wait may outlast the schedule's time limit: that is a timeout.
bool waitForOutsideIo() {
  constexpr uint32_t kCap = 256;
  pollfd all[kCap];
  uint32_t n = 0;
  for (uint32_t t = 0; t < g_nthreads; ++t) {
    const Thread& th = g_threads[t];
    if (!th.used || th.block != Block::Io)
      continue;
    for (uint32_t i = 0; i < th.ioNfds && n < kCap; ++i)
      all[n++] = th.ioFds[i];
  }
  if (n == 0)
    return false;
  for (;;) {
    long r = rawSyscall(SYS_ppoll, reinterpret_cast<long>(all), n, 0, 0);
    if (r != -EINTR)
      return r > 0;
  }
}

void pickAndSwitch() {
  Choice choices[kMaxThreads * 2];
  uint32_t n = 0;
  int32_t me = t_self;
  Thread& self = g_threads[me];
  bool fair = self.yielded || anyFairPending();
  uint64_t en[kWords] = {};
  if (fair) {
    for (uint32_t t = 0; t < g_nthreads; ++t)
      if (enabledThread(g_threads[t]))
        en[t / 64] |= uint64_t{1} << (t % 64);
    if (self.yielded) {
      for (uint32_t w = 0; w < kWords; ++w)
        self.after[w] = en[w];
      self.after[me / 64] &= ~(uint64_t{1} << (me % 64));
      uint64_t left = 0;
      for (uint64_t a : self.after)
        left |= a;
      if (left)
        g_fairPending[me / 64] |= uint64_t{1} << (me % 64);
    }
  }
  auto eligible = [&](const Thread& th) {
    if (!fair)
      return true;
    for (uint32_t w = 0; w < kWords; ++w)
      if (th.after[w] & en[w])
        return false;
    return true;
  };
  bool meReady = self.block != Block::Finished && ready(self) && eligible(self);
  auto addRun = [&](int32_t t) {
    Thread& th = g_threads[t];
    if (!th.used || th.block == Block::Finished || !ready(th) || !eligible(th))
      return;
    choices[n++] = Choice{t, Mode::Run, meReady && t != me && !self.yielded, th.pendingObj};
  };
  addRun(me);
  for (uint32_t t = 0; t < g_nthreads; ++t)
    if (static_cast<int32_t>(t) != me)
      addRun(static_cast<int32_t>(t));
  if (n == 0 && fair) {
    // Cannot happen (the relation is acyclic); never let fairness make a deadlock out of it.
    fair = false;
    addRun(me);
    for (uint32_t t = 0; t < g_nthreads; ++t)
      if (static_cast<int32_t>(t) != me)
        addRun(static_cast<int32_t>(t));
  }
  uint32_t runs = n;
  for (uint32_t t = 0; t < g_nthreads; ++t) {
    Thread& th = g_threads[t];
    if (!th.used || th.block == Block::Finished || ready(th))
      continue;
    if (th.timed && canWakeUnsignalled(th))
      choices[n++] = Choice{static_cast<int32_t>(t), Mode::Timeout, false, th.waitObj};
    else if (runs > 0 && th.block == Block::Cond && g_spurious < kSpuriousBudget &&
             canWakeUnsignalled(th) && g_rec->strategy != StrategyKind::Dfs)
      choices[n++] = Choice{static_cast<int32_t>(t), Mode::Spurious, false, th.waitObj};
  }
  if (n == 0) {
    if (waitForOutsideIo()) {
      pickAndSwitch();
      return;
    }
    noChoice();
  }
  uint32_t idx = 0;
  // Past the decisions a record holds, a fixed rule (the first alternative) decides, in a
  // replay as in the run: schedules longer than that still replay exactly.
  if (n > 1 && g_rec->ndecisions < kMaxDecisions) {
    int32_t picked = g_strategy->pick(choices, n, g_rec->steps);
    uint32_t k = g_rec->ndecisions;
    if (picked < 0) {
      g_rec->divergenceStep = k;
      Scheduler::fail(FindingKind::Divergence, &me, 1,
                      "replay diverged at decision %u (step %llu): the saved schedule's next "
                      "thread cannot run here; the program took another path",
                      k, static_cast<unsigned long long>(g_rec->steps));
    }
    idx = static_cast<uint32_t>(picked);
    {
      g_rec->decisions[k] =
          packDecision(static_cast<uint32_t>(choices[idx].tid), choices[idx].mode);
      g_rec->decisionOps[k] = static_cast<uint8_t>(g_threads[choices[idx].tid].pendingOp);
      g_rec->dfsChosen[k] = static_cast<uint16_t>(idx);
      g_rec->dfsChoices[k] = static_cast<uint16_t>(n);
      uint16_t mask = 0;
      for (uint32_t i = 0; i < n && i < 16; ++i)
        if (choices[i].preemption)
          mask |= static_cast<uint16_t>(1u << i);
      g_rec->dfsPreemptive[k] = mask;
      g_rec->ndecisions = k + 1;
    }
  }
  const Choice& c = choices[idx];
  Thread& t = g_threads[c.tid];
  if (c.mode != Mode::Run) {
    if (c.mode == Mode::Spurious)
      ++g_spurious;
    t.wokenBy = c.mode;
    t.block = Block::None;
  }
  if (fair)
    scheduled(c.tid);
  switchTo(c.tid);
}

[[noreturn]] void noChoice() {
  // Nobody can run: a deadlock if the waits form a cycle, else a wake-up that never comes.
  char msg[sizeof(g_rec->message)] = {};
  int32_t involved[kMaxInvolved];
  uint32_t ninv = 0;
  auto waitsFor = [](int32_t t) -> int32_t {
    const Thread& th = g_threads[t];
    switch (th.block) {
    case Block::Mutex:
    case Block::ReadLock:
    case Block::WriteLock:
      return th.waitObj->owner;
    case Block::Join:
      return th.joinTarget;
    default:
      return -1;
    }
  };
  for (uint32_t start = 0; start < g_nthreads && ninv == 0; ++start) {
    int32_t t = static_cast<int32_t>(start);
    for (uint32_t hop = 0; hop <= g_nthreads && t >= 0; ++hop)
      t = waitsFor(t);
    if (t < 0)
      continue;
    // t is on a cycle.
    appendf(msg, sizeof msg, "deadlock: ");
    int32_t u = t;
    do {
      if (ninv < kMaxInvolved)
        involved[ninv++] = u;
      const Thread& th = g_threads[u];
      describeThread(msg, sizeof msg, u);
      if (th.block == Block::Join) {
        appendf(msg, sizeof msg, " joins ");
      } else {
        appendf(msg, sizeof msg, " waits for ");
        describeObj(msg, sizeof msg, th.waitObj);
        appendf(msg, sizeof msg, " held by ");
      }
      u = waitsFor(u);
      describeThread(msg, sizeof msg, u);
      appendf(msg, sizeof msg, u == t ? "" : "; ");
      if (u != t) {
        // keep the sentence per edge
      }
    } while (u != t);
  }
  if (ninv > 0)
    Scheduler::fail(FindingKind::Deadlock, involved, ninv, "%s", msg);
  bool notification = false;
  for (uint32_t t = 0; t < g_nthreads; ++t) {
    const Thread& th = g_threads[t];
    if (!th.used || th.block == Block::Finished)
      continue;
    if (th.block == Block::Cond || th.block == Block::Futex || th.block == Block::Sem)
      notification = true;
  }
  appendf(msg, sizeof msg, notification ? "lost wake-up: " : "deadlock: ");
  bool first = true;
  for (uint32_t t = 0; t < g_nthreads; ++t) {
    const Thread& th = g_threads[t];
    if (!th.used || th.block == Block::Finished)
      continue;
    if (ninv < kMaxInvolved)
      involved[ninv++] = static_cast<int32_t>(t);
    if (!first)
      appendf(msg, sizeof msg, "; ");
    first = false;
    describeThread(msg, sizeof msg, static_cast<int32_t>(t));
    switch (th.block) {
    case Block::Cond:
      appendf(msg, sizeof msg, " waits forever on ");
      describeObj(msg, sizeof msg, th.waitObj);
      break;
    case Block::Futex:
    case Block::Sem:
    case Block::Once:
      appendf(msg, sizeof msg, " waits forever on ");
      describeObj(msg, sizeof msg, th.waitObj);
      break;
    case Block::Barrier:
      appendf(msg, sizeof msg, " waits at ");
      describeObj(msg, sizeof msg, th.waitObj);
      appendf(msg, sizeof msg, " for %lld more threads that never arrive",
              static_cast<long long>(th.waitObj->bound - th.waitObj->count));
      break;
    case Block::Join:
      appendf(msg, sizeof msg, " joins thread %d which never finishes", th.joinTarget);
      break;
    default:
      appendf(msg, sizeof msg, " waits for ");
      describeObj(msg, sizeof msg, th.waitObj);
      if (th.waitObj->owner >= 0) {
        appendf(msg, sizeof msg, " held by ");
        describeThread(msg, sizeof msg, th.waitObj->owner);
        if (g_threads[th.waitObj->owner].block == Block::Finished)
          appendf(msg, sizeof msg, ", which has exited without unlocking it");
      }
      break;
    }
  }
  if (notification)
    appendf(msg, sizeof msg, "; no running thread is left to wake it");
  Scheduler::fail(notification ? FindingKind::LostWakeup : FindingKind::Deadlock, involved, ninv,
                  "%s", msg);
}

// The livelock report: the threads still alive, which only yielded or spun in the window.
[[noreturn]] void failLivelock(bool window) {
  int32_t involved[kMaxInvolved];
  uint32_t n = 0;
  involved[n++] = t_self;
  for (uint32_t t = 0; t < g_nthreads && n < kMaxInvolved; ++t)
    if (static_cast<int32_t>(t) != t_self && g_threads[t].used &&
        g_threads[t].block != Block::Finished)
      involved[n++] = static_cast<int32_t>(t);
  SharedRecord* r = g_rec;
  if (window)
    Scheduler::fail(FindingKind::Livelock, involved, n,
                    "livelock: no thread made progress in %llu steps (steps %llu to %llu only "
                    "yielded, slept or re-read unchanged atomics; nothing was locked, signalled, "
                    "written or finished), under fair scheduling",
                    static_cast<unsigned long long>(r->livelockSteps),
                    static_cast<unsigned long long>(r->lastProgress + 1),
                    static_cast<unsigned long long>(r->steps));
  Scheduler::fail(FindingKind::Livelock, involved, n,
                  "livelock: the schedule exceeded %llu steps without finishing (the threads "
                  "still made progress; raise --max-steps for a longer test)",
                  static_cast<unsigned long long>(r->maxSteps));
}

// One step of the schedule. `progress`: not a yield, sleep or spin.
void noteStep(Op op, const Object* obj, bool progress) {
  SharedRecord* r = g_rec;
  uint64_t step = ++r->steps;
  uint32_t id = obj ? obj->id : 0;
  r->traceHash = mix(r->traceHash, (static_cast<uint64_t>(t_self) << 40) |
                                       (static_cast<uint64_t>(op) << 32) | id);
  Event& e = r->events[r->eventCount++ % kEventRing];
  e = Event{step,
            static_cast<uint32_t>(t_self),
            static_cast<uint32_t>(op),
            id,
            obj ? static_cast<uint32_t>(obj->kind) : 0,
            EventResult::None,
            -1};
  g_threads[t_self].lastEvent = r->eventCount;
  if (op != Op::Preempt && static_cast<uint32_t>(t_self) == r->spinTid)
    r->spinSlices = 0;
  if (progress)
    r->lastProgress = step;
  else if (r->livelockSteps && step - r->lastProgress > r->livelockSteps)
    failLivelock(true);
  if (step > r->maxSteps)
    failLivelock(false);
}

bool g_replaySlices = false; // the replayed schedule has time-slice marks

bool sliceMarkNext() {
  SharedRecord* r = g_rec;
  uint32_t k = r->ndecisions;
  return k < r->replayCount &&
         r->replay[k] == packDecision(static_cast<uint32_t>(t_self), Mode::Slice);
}

// The running thread's time slice ran out: a mark in the decisions (so that a replay preempts
// it at the same step), a step that counts as progress (it may be computing, not spinning: a
// livelock is only ever called on yields and spins), and a yield.
void sliceNow() {
  SharedRecord* r = g_rec;
  uint32_t k = r->ndecisions;
  if (k < kMaxDecisions) {
    r->decisions[k] = packDecision(static_cast<uint32_t>(t_self), Mode::Slice);
    r->decisionOps[k] = static_cast<uint8_t>(Op::Preempt);
    r->dfsChosen[k] = 0;
    r->dfsChoices[k] = 1;
    r->dfsPreemptive[k] = 0;
    r->ndecisions = k + 1;
  }
  if (r->spinTid != static_cast<uint32_t>(t_self))
    r->spinSlices = 0;
  r->spinTid = static_cast<uint32_t>(t_self);
  ++r->spinSlices;
  Thread& me = g_threads[t_self];
  me.pendingOp = Op::Preempt;
  me.pendingObj = nullptr;
  noteStep(Op::Preempt, nullptr, true);
  me.yielded = true;
  pickAndSwitch();
  me.yielded = false;
}

void noteEvent(Op op, const Object* obj, bool progress = true) {
  leaveIfStale();
  // A replay preempts where the run's time slice ran out, at the latest before the next step.
  while (g_replaySlices && sliceMarkNext())
    sliceNow();
  noteStep(op, obj, progress);
}

} // namespace

const char* opName(Op op) {
  static const char* const names[] = {"thread-start",  "thread-exit",    "create",    "join",
                                      "detach",        "lock",           "trylock",   "unlock",
                                      "read-lock",     "write-lock",     "rw-unlock", "cond-wait",
                                      "cond-signal",   "cond-broadcast", "yield",     "sleep",
                                      "futex-wait",    "futex-wake",     "sem-wait",  "sem-post",
                                      "barrier-wait",  "once",           "destroy",   "atomic-load",
                                      "atomic-store",  "atomic-rmw",     "read",      "write",
                                      "try-read-lock", "try-write-lock", "io-wait",   "preempt"};
  auto i = static_cast<uint32_t>(op);
  return i < sizeof names / sizeof names[0] ? names[i] : "op";
}

const char* objKindName(ObjKind k) {
  return objPrefix(k);
}

bool Scheduler::enabled() {
  return g_enabled && t_member && t_bypass == 0;
}
bool Scheduler::active() {
  return g_active && t_member && t_bypass == 0;
}
bool Scheduler::member() {
  return g_enabled && t_member && (g_active || g_inProcess);
}
bool Scheduler::inProcess() {
  return g_inProcess;
}
void Scheduler::setBypass(bool on) {
  t_bypass = on ? 1 : 0;
}
void Scheduler::disable() {
  g_enabled = false;
}
SharedRecord* Scheduler::record() {
  return g_rec;
}
int32_t Scheduler::self() {
  return t_self;
}
Thread& Scheduler::thread(int32_t tid) {
  return g_threads[tid];
}
uint64_t Scheduler::steps() {
  return g_rec ? g_rec->steps : 0;
}
uint32_t Scheduler::threadCount() {
  return g_nthreads;
}

void Scheduler::init(SharedRecord* rec) {
  g_rec = rec;
  g_enabled = true;
  t_member = true;
  g_nthreads = 1;
  g_threads[0].used = true;
  g_threads[0].started = true;
  g_threads[0].turn.store(1);
  strncpy(g_rec->names[0], "main", kNameLen - 1);
}

void Scheduler::startSchedule() {
  {
    // Initialise the unwinder now, not in a signal handler or in the middle of a schedule.
    Bypass b;
    uintptr_t warm[4];
    captureStack(warm, 4);
  }
  g_strategy = makeStrategy(g_rec);
  g_strategy->threadCreated(0);
  g_replaySlices = false;
  if (g_rec->strategy == StrategyKind::Replay)
    for (uint32_t k = 0; k < g_rec->replayCount && !g_replaySlices; ++k)
      g_replaySlices = decisionMode(g_rec->replay[k]) == Mode::Slice;
  g_rec->nthreads = 1;
  g_rec->entries[0] = 0;
  g_rec->osTids[0] = static_cast<int32_t>(rawSyscall(SYS_gettid));
  g_active = true;
}

void Scheduler::setEntry(int32_t tid, uintptr_t fn) {
  g_rec->entries[tid] = fn;
  Bypass b;
  g_rec->ncreatedAt[tid] = captureStack(g_rec->createdAt[tid], kMaxFrames);
}

Object* Scheduler::lookup(const void* addr) {
  auto a = reinterpret_cast<uintptr_t>(addr);
  uint32_t h = static_cast<uint32_t>(splitmix64(a)) & (kObjectCap - 1);
  for (uint32_t i = 0; i < kObjectCap; ++i) {
    Object& o = g_objects[(h + i) & (kObjectCap - 1)];
    if (o.addr == a)
      return &o;
    if (o.addr == 0)
      return nullptr;
  }
  return nullptr;
}

Object* Scheduler::object(const void* addr, ObjKind kind) {
  auto a = reinterpret_cast<uintptr_t>(addr);
  uint32_t h = static_cast<uint32_t>(splitmix64(a)) & (kObjectCap - 1);
  for (uint32_t i = 0; i < kObjectCap; ++i) {
    Object& o = g_objects[(h + i) & (kObjectCap - 1)];
    if (o.addr == a) {
      if (o.kind != kind) { // the memory now holds another kind of object
        // Freed memory (id 0) holds a new object: a new id, so that nothing of the old one's
        // lock-order edges carries over.
        uint32_t id = o.id ? o.id : g_nextObjId++;
        o = Object{};
        o.addr = a;
        o.id = id;
        o.kind = kind;
      }
      return &o;
    }
    if (o.addr == 0) {
      o = Object{};
      o.addr = a;
      o.kind = kind;
      o.id = g_nextObjId++;
      auto slot = static_cast<uint32_t>(&o - g_objects);
      g_usedSlots[g_nusedSlots++] = slot;
      uint32_t at = firstAtOrAbove(a);
      memmove(&g_byAddr[at + 1], &g_byAddr[at], (g_nbyAddr - at) * sizeof g_byAddr[0]);
      g_byAddr[at] = slot;
      ++g_nbyAddr;
      return &o;
    }
  }
  fail(FindingKind::None, &t_self, 1, "threadcheck runtime: more than %u synchronisation objects",
       kObjectCap);
}

Object* Scheduler::objectAny(const void* addr, ObjKind kindIfNew) {
  if (Object* o = lookup(addr); o && o->kind != ObjKind::None)
    return o;
  return object(addr, kindIfNew);
}

bool Scheduler::holdsObjects() {
  return g_nbyAddr > 0 && active();
}

void Scheduler::memoryFreed(const void* addr, size_t size) {
  if (!holdsObjects())
    return;
  auto a = reinterpret_cast<uintptr_t>(addr);
  for (uint32_t i = firstAtOrAbove(a); i < g_nbyAddr; ++i) {
    Object& o = g_objects[g_byAddr[i]];
    if (o.addr - a >= size)
      break;
    // The slot stays (open addressing keeps its chain); the next use starts a new object.
    uintptr_t at = o.addr;
    o = Object{};
    o.addr = at;
  }
}

void Scheduler::forget(const void* addr) {
  if (Object* o = lookup(addr)) {
    uint32_t id = o->id;
    ObjKind kind = o->kind;
    *o = Object{};
    o->addr = reinterpret_cast<uintptr_t>(addr);
    o->id = id;
    o->kind = kind;
  }
}

void Scheduler::point(Op op, Object* obj) {
  if (!g_active)
    return;
  Thread& me = g_threads[t_self];
  me.pendingOp = op;
  me.pendingObj = obj;
  noteEvent(op, obj);
  pickAndSwitch();
}

void Scheduler::yield(Op op, Object* obj) {
  if (!g_active)
    return;
  Thread& me = g_threads[t_self];
  me.pendingOp = op;
  me.pendingObj = obj;
  noteEvent(op, obj, false);
  me.yielded = true;
  pickAndSwitch();
  me.yielded = false;
}

Mode Scheduler::block(Block how, Object* obj, bool timed) {
  leaveIfStale();
  Thread& me = g_threads[t_self];
  me.block = how;
  me.waitObj = obj;
  me.timed = timed;
  me.wokenBy = Mode::Run;
  if (!g_active) {
    // Before the first thread exists nobody else can release what the caller waits for.
    if (timed) {
      me.block = Block::None;
      return Mode::Timeout;
    }
    noChoice();
  }
  pickAndSwitch();
  me.block = Block::None;
  me.timed = false;
  me.waitObj = nullptr;
  return me.wokenBy;
}

bool Scheduler::ioReady(pollfd* fds, uint32_t n) {
  timespec zero{};
  long r;
  do
    r = rawSyscall(SYS_ppoll, reinterpret_cast<long>(fds), n, reinterpret_cast<long>(&zero), 0);
  while (r == -EINTR);
  return r != 0; // an error (EFAULT, EINVAL) is the call's to report: let it run
}

Mode Scheduler::waitIo(pollfd* fds, uint32_t n, bool timed) {
  point(Op::IoWait, nullptr);
  if (ioReady(fds, n))
    return Mode::Run;
  Thread& me = g_threads[t_self];
  me.ioFds = fds;
  me.ioNfds = n;
  Mode woken = block(Block::Io, nullptr, timed);
  me.ioFds = nullptr;
  me.ioNfds = 0;
  return woken;
}

int32_t Scheduler::registerThread() {
  if (g_nthreads >= kMaxThreads)
    fail(FindingKind::None, &t_self, 1, "threadcheck runtime: more than %u threads", kMaxThreads);
  auto tid = static_cast<int32_t>(g_nthreads++);
  Thread& t = g_threads[tid];
  t.used = true;
  snprintf(g_rec->names[tid], kNameLen, "thread-%d", tid);
  g_rec->entries[tid] = 0;
  g_rec->ncreatedAt[tid] = 0;
  g_rec->osTids[tid] = 0;
  g_rec->nthreads = g_nthreads;
  if (g_strategy)
    g_strategy->threadCreated(tid);
  return tid;
}

void Scheduler::threadStarted(int32_t tid, uint32_t epoch) {
  t_self = tid;
  t_member = true;
  t_epoch = epoch;
  Thread& me = g_threads[tid];
  if (g_active) {
    g_rec->osTids[tid] = static_cast<int32_t>(rawSyscall(SYS_gettid));
    TimeSlice::threadStarted();
  }
  serveCommands(me); // wait for the first turn
  me.started = true;
}

void Scheduler::threadFinished() {
  Thread& me = g_threads[t_self];
  noteEvent(Op::ThreadExit, nullptr);
  TimeSlice::threadFinished();
  g_rec->osTids[t_self] = 0;
  me.block = Block::Finished;
  exitLeakRecheck(); // a detached thread that ends during exit() is no leak
  // What the thread still runs on its way out (glibc's exit path) is not the program's.
  t_member = false;
  Race::threadFinished();
  bool anyLeft = false;
  for (uint32_t t = 0; t < g_nthreads; ++t)
    if (g_threads[t].used && g_threads[t].block != Block::Finished)
      anyLeft = true;
  if (!anyLeft)
    return;        // the process ends with its last thread
  pickAndSwitch(); // returns at once: a finished thread never gets a turn again
}

bool Scheduler::timeSlice(uintptr_t pc) {
  // Only the running thread of a schedule that goes on, outside the runtime's own work.
  if (!g_active || !t_member || t_bypass || g_inProcess || g_current != t_self ||
      g_rec->kind != FindingKind::None)
    return false;
  Thread& me = g_threads[t_self];
  if (me.block != Block::None)
    return false;
  uint64_t steps = g_rec->steps;
  if (me.sliceSteps != steps) { // it made a step since its last tick: not a whole slice yet
    me.sliceSteps = steps;
    return false;
  }
  // A replay preempts exactly where the run did (or at the latest before the next step).
  if (g_rec->strategy == StrategyKind::Replay && !(g_replaySlices && sliceMarkNext()))
    return false;
  {
    // The spinner's stack, for a timeout or livelock report (the unwinder was initialised at
    // the start of the schedule and allocates nothing).
    Bypass b;
    uint32_t n = captureStack(g_rec->spinFrames, kMaxFrames);
    // From the interrupted instruction on: not the handler's frames nor the signal trampoline.
    uint32_t from = 0;
    while (from < n && g_rec->spinFrames[from] != pc)
      ++from;
    if (from == n)
      from = 0;
    memmove(g_rec->spinFrames, g_rec->spinFrames + from, (n - from) * sizeof(uintptr_t));
    g_rec->spinNframes = n - from;
  }
  sliceNow();
  me.sliceSteps = g_rec->steps;
  return true;
}

void Scheduler::noteResult(EventResult result, int32_t other) {
  SharedRecord* r = g_rec;
  uint64_t last = g_threads[t_self].lastEvent;
  // Only while the event is still in the ring (a long wait may have pushed it out).
  if (!g_active || last == 0 || r->eventCount - (last - 1) > kEventRing)
    return;
  Event& e = r->events[(last - 1) % kEventRing];
  e.result = result;
  e.other = other;
}

// Where each lock-order edge was made (a lock taken while another was held), so that an
// inversion found later shows where the other thread took its locks. Only an edge's first
// acquisition in a schedule captures a stack, and only so many edges keep one.
struct EdgeStack {
  uint32_t from, to; // object ids: `to` taken while `from` was held
  uint32_t nframes;
  uintptr_t frames[kMaxFrames];
};
constexpr uint32_t kEdgeStacks = 64;
EdgeStack g_edgeStacks[kEdgeStacks];
uint32_t g_nedgeStacks = 0;

const EdgeStack* edgeStack(uint32_t from, uint32_t to) {
  for (uint32_t i = 0; i < g_nedgeStacks; ++i)
    if (g_edgeStacks[i].from == from && g_edgeStacks[i].to == to)
      return &g_edgeStacks[i];
  return nullptr;
}

void Scheduler::acquired(Object* m, bool viaTry) {
  Thread& me = g_threads[t_self];
  const EdgeStack* here = nullptr; // this acquisition's stack, once captured
  // A try-lock cannot deadlock: it is how deadlock-avoiding code (std::lock) takes locks out of
  // order, so it adds no lock-order edge.
  if (m->id < kOrderCap && !viaTry)
    for (uint32_t i = 0; i < me.nheld; ++i) {
      Object* h = me.held[i];
      if (h == m || h->id >= kOrderCap)
        continue;
      if (!g_order[h->id][m->id]) {
        g_order[h->id][m->id] = static_cast<uint16_t>(t_self + 1);
        if (g_nedgeStacks < kEdgeStacks) {
          EdgeStack& e = g_edgeStacks[g_nedgeStacks++];
          e.from = h->id;
          e.to = m->id;
          if (here) {
            e.nframes = here->nframes;
            memcpy(e.frames, here->frames, sizeof e.frames);
          } else {
            Bypass b;
            e.nframes = captureStack(e.frames, kMaxFrames);
            here = &e;
          }
        }
      }
      uint16_t other = g_order[m->id][h->id];
      if (other && other != t_self + 1 && g_rec->softMessage[0] == 0) {
        int32_t o = other - 1;
        char* msg = g_rec->softMessage;
        size_t cap = sizeof g_rec->softMessage;
        appendf(msg, cap, "lock-order inversion: ");
        describeThread(msg, cap, o);
        appendf(msg, cap, " took ");
        describeObj(msg, cap, m);
        appendf(msg, cap, " then ");
        describeObj(msg, cap, h);
        appendf(msg, cap, ", while ");
        describeThread(msg, cap, t_self);
        appendf(msg, cap,
                " took them in the opposite order; two threads doing this at once "
                "deadlock");
        g_rec->softInvolved[0] = t_self;
        g_rec->softInvolved[1] = o;
        g_rec->nsoftInvolved = 2;
        // This thread takes m holding h now; the other took h holding m where its edge was made.
        InvolvedThread* st = g_rec->softStacks;
        st[0].tid = static_cast<uint32_t>(t_self);
        memcpy(st[0].name, g_rec->names[t_self], kNameLen);
        if (here) {
          st[0].nframes = here->nframes;
          memcpy(st[0].frames, here->frames, sizeof st[0].frames);
        } else {
          Bypass b;
          st[0].nframes = captureStack(st[0].frames, kMaxFrames);
        }
        st[1].tid = static_cast<uint32_t>(o);
        memcpy(st[1].name, g_rec->names[o], kNameLen);
        st[1].nframes = 0;
        if (const EdgeStack* e = edgeStack(m->id, h->id)) {
          st[1].nframes = e->nframes;
          memcpy(st[1].frames, e->frames, sizeof st[1].frames);
        }
      }
    }
  if (me.nheld < kMaxHeld)
    me.held[me.nheld++] = m;
}

void Scheduler::released(Object* m) {
  Thread& me = g_threads[t_self];
  for (uint32_t i = me.nheld; i-- > 0;)
    if (me.held[i] == m) {
      for (uint32_t j = i + 1; j < me.nheld; ++j)
        me.held[j - 1] = me.held[j];
      --me.nheld;
      return;
    }
}

void Scheduler::recordFinding(FindingKind kind, const int32_t* tids, uint32_t n, const char* msg) {
  leaveIfStale();
  SharedRecord* r = g_rec;
  if (r->kind != FindingKind::None)
    return;
  r->kind = kind;
  strncpy(r->message, msg, sizeof r->message - 1);
  if (n > kMaxInvolved)
    n = kMaxInvolved;
  r->ninvolved = n;
  for (uint32_t i = 0; i < n; ++i)
    captureInvolved(r->involved[i], tids[i]);
}

void Scheduler::exitStatus() {
  SharedRecord* r = g_rec;
  if (!g_active || r->kind != FindingKind::None)
    return;
  uint32_t n = 0;
  captureInvolved(r->exitInvolved[n++], t_self);
  for (uint32_t t = 0; t < g_nthreads && n < kMaxInvolved; ++t) {
    const Thread& th = g_threads[t];
    if (static_cast<int32_t>(t) != t_self && th.used && th.block != Block::Finished)
      captureInvolved(r->exitInvolved[n++], static_cast<int32_t>(t));
  }
  r->nexitInvolved = n;
}

void Scheduler::captureForServer(uintptr_t pc) {
  SharedRecord* r = g_rec;
  if (!r || !g_active || !t_member || !__atomic_load_n(&r->captureRequest, __ATOMIC_ACQUIRE))
    return;
  int32_t me = t_self;
  uint32_t slot = r->captureSlot[me];
  if (slot == 0 || slot > kMaxInvolved || r->stuck[slot - 1].tid != static_cast<uint32_t>(me))
    return;
  InvolvedThread& inv = r->stuck[slot - 1];
  ++t_bypass;
  uint32_t n = captureStack(inv.frames, kMaxFrames);
  --t_bypass;
  // From the interrupted instruction on: not the handler's frames nor the signal trampoline.
  uint32_t from = 0;
  while (from < n && inv.frames[from] != pc)
    ++from;
  if (from == n)
    from = 0;
  memmove(inv.frames, inv.frames + from, (n - from) * sizeof(uintptr_t));
  inv.nframes = n - from;
  withEntry(inv, me);
  __atomic_store_n(&r->stuckDone[slot - 1], 1, __ATOMIC_RELEASE);
}

void Scheduler::fail(FindingKind kind, const int32_t* tids, uint32_t n, const char* fmt, ...) {
  char msg[sizeof(g_rec->message)];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (kind == FindingKind::None && g_inProcess) {
    // The test process goes on: the exploration ends with this as its error.
    recordFinding(FindingKind::Limit, tids, n, msg);
    InProcess::endSchedule();
  }
  if (kind == FindingKind::None) { // a limit of the runtime itself, not a bug of the program
    rawWrite(2, msg, strlen(msg));
    rawWrite(2, "\n", 1);
    rawExit(125);
  }
  recordFinding(kind, tids, n, msg);
  if (g_inProcess)
    InProcess::endSchedule();
  ++t_bypass;
  fflush(nullptr); // the failing schedule's output is shown to the user
  if (!g_active)
    reportUnforked();
  rawExit(kind == FindingKind::Divergence ? 124 : 123);
}

// A thread still running when exit() starts is not leaked yet: a library destructor may still
// stop and join it (libuv's thread pool is joined that way). The finding is kept only if it still
// holds when the process ends; every join and thread end on the way out re-decides it.
bool g_exitLeakPending = false;

void Scheduler::checkExit() {
  if (!g_active || g_rec->kind != FindingKind::None)
    return;
  noteEvent(Op::ThreadExit, nullptr);
  g_exitLeakPending = checkLeaks("thread leak at exit: ");
  if (!g_exitLeakPending)
    g_rec->exitedCleanly = 1;
}

void Scheduler::exitLeakRecheck() {
  if (!g_exitLeakPending)
    return;
  if (g_rec->kind != FindingKind::ThreadLeak) { // another finding took its place
    g_exitLeakPending = false;
    return;
  }
  g_rec->kind = FindingKind::None;
  g_rec->message[0] = 0;
  g_rec->ninvolved = 0;
  g_exitLeakPending = checkLeaks("thread leak at exit: ");
  if (!g_exitLeakPending)
    g_rec->exitedCleanly = 1;
}

bool Scheduler::checkLeaks(const char* prefix) {
  int32_t leaked[kMaxInvolved];
  uint32_t n = 0;
  char msg[sizeof(g_rec->message)] = {};
  for (uint32_t t = 1; t < g_nthreads; ++t) {
    const Thread& th = g_threads[t];
    if (static_cast<int32_t>(t) == t_self)
      continue;
    bool running = th.block != Block::Finished;
    bool unjoined = !running && !th.detached && !th.joined;
    if (!running && !unjoined)
      continue;
    if (n < kMaxInvolved)
      leaked[n++] = static_cast<int32_t>(t);
    appendf(msg, sizeof msg, "%s", n == 1 ? prefix : "; ");
    describeThread(msg, sizeof msg, static_cast<int32_t>(t));
    appendf(msg, sizeof msg,
            running ? (th.detached ? " (detached) is still running"
                                   : " is still running and was never joined")
                    : " finished but was never joined or detached");
  }
  if (n == 0)
    return false;
  recordFinding(FindingKind::ThreadLeak, leaked, n, msg);
  return true;
}

void Scheduler::setName(int32_t tid, const char* name) {
  strncpy(g_rec->names[tid], name, kNameLen - 1);
  g_rec->names[tid][kNameLen - 1] = 0;
}

const char* Scheduler::name(int32_t tid) {
  return g_rec->names[tid];
}

void Scheduler::setInProcess(SharedRecord* rec) {
  g_rec = rec;
  g_inProcess = rec != nullptr;
  g_enabled = rec != nullptr;
  g_active = false;
}

void Scheduler::resetSchedule() {
  g_active = false;
  for (uint32_t t = 0; t < g_nthreads; ++t) {
    g_threads[t].~Thread();
    new (&g_threads[t]) Thread();
  }
  uint32_t ids = g_nextObjId < kOrderCap ? g_nextObjId : kOrderCap;
  for (uint32_t a = 0; a < ids; ++a)
    memset(g_order[a], 0, ids * sizeof g_order[a][0]);
  for (uint32_t i = 0; i < g_nusedSlots; ++i)
    g_objects[g_usedSlots[i]] = Object{};
  g_nusedSlots = 0;
  g_nbyAddr = 0;
  g_nextObjId = 1;
  g_spurious = 0;
  memset(g_fairPending, 0, sizeof g_fairPending);
  g_nedgeStacks = 0;
  g_current = 0;
  g_nthreads = 1;
  g_threads[0].used = true;
  g_threads[0].started = true;
  g_threads[0].turn.store(1);
  memset(g_rec->names[0], 0, kNameLen);
  strncpy(g_rec->names[0], "main", kNameLen - 1);
}

void Scheduler::adoptBodyThread() {
  t_self = 0;
  t_member = true;
  t_bypass = 0;
  t_epoch = g_epoch.load(std::memory_order_acquire);
  g_threads[0].osHandle = static_cast<uintptr_t>(pthread_self());
}

void Scheduler::bodyDone() {
  if (!g_active || g_rec->kind != FindingKind::None)
    return;
  noteEvent(Op::ThreadExit, nullptr);
  checkLeaks("thread leak: when the body returned, ");
}

void Scheduler::leaveBodyThread() {
  t_member = false;
}

bool Scheduler::stale() {
  return t_epoch != 0 && t_epoch != g_epoch.load(std::memory_order_acquire);
}

uint32_t Scheduler::epoch() {
  return g_epoch.load(std::memory_order_acquire);
}

uint32_t Scheduler::abandon(int32_t ending, bool stuck) {
  // Only the controller runs now: every other thread of the schedule waits for its turn (or, when
  // `stuck`, the running one is inside a call the runtime does not model and parks on return).
  g_epoch.fetch_add(1, std::memory_order_acq_rel);
  g_active = false;
  uint32_t sent = 0;
  for (uint32_t t = 0; t < g_nthreads; ++t) {
    Thread& th = g_threads[t];
    if (!th.used || th.block == Block::Finished || static_cast<int32_t>(t) == ending ||
        (stuck && static_cast<int32_t>(t) == g_current))
      continue;
    th.cmd.store(kCmdPark, std::memory_order_relaxed);
    th.turn.store(1, std::memory_order_release);
    futexWake(&th.turn);
    ++sent;
  }
  return sent;
}

int32_t Scheduler::current() {
  return g_current;
}

} // namespace threadcheck::rt
