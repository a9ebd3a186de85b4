#include "RaceDetector.h"

#include "Arena.h"
#include "CallStacks.h"
#include "Heap.h"
#include "Scheduler.h"
#include "Shadow.h"
#include "Strategy.h"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace threadcheck::rt {
namespace detail {
bool g_raceOn = false;
uint32_t g_clock[kMaxThreads][kMaxThreads];
__thread RaceThread t_race;
} // namespace detail
namespace {

using detail::g_clock;
using detail::kSharedRead;

// An epoch is (clock << 8) | thread; 0 means "never". Thread ids fit: kMaxThreads is 256.
static_assert(kMaxThreads <= detail::kEpochTidMask + 1);
constexpr uint32_t kMaxClock = (1u << 23) - 1; // keeps epochs clear of kSharedRead

// A site: the stack node in the low 24 bits, the size code above, the atomic flag on top.
constexpr uint32_t kSiteAtomic = 1u << 27;

constexpr uint32_t kSyncBits = 18;
constexpr uint32_t kSyncMask = (1u << kSyncBits) - 1;
constexpr uint32_t kMaxClocks = 1u << 18;
constexpr uint32_t kMaxReadClocks = 1u << 17;

struct SyncSlot {
  uintptr_t key;
  uint32_t clock; // index of its vector clock
};

struct ReadClock {
  uint32_t clock[kMaxThreads];
  uint32_t site[kMaxThreads];
};

using Vc = uint32_t[kMaxThreads];

bool g_ready = false;                 // tables reserved
uint32_t g_fenceRelease[kMaxThreads]; // clock index: the thread's clock at its last release fence
uint32_t g_fenceAcquire[kMaxThreads]; // clock index: what relaxed loads saw since the last fence
SyncSlot* g_sync = nullptr;
uint32_t* g_syncUsed = nullptr; // the slots of g_sync in use, for in-process resets
uint32_t g_nsyncUsed = 0;
Vc* g_clocks = nullptr; // index 0 unused
uint32_t g_nextClock = 1;
ReadClock* g_reads = nullptr;
uint32_t g_nextRead = 1;
bool g_exhausted = false;
bool g_used = false;        // a schedule ran in this process: the tables hold its state
uint32_t g_threadsSeen = 1; // threads whose clocks may be set

inline uint32_t epochOf(uint32_t clock, int32_t tid) {
  return (clock << 8) | static_cast<uint32_t>(tid);
}
inline int32_t epochTid(uint32_t e) {
  return static_cast<int32_t>(e & 0xff);
}
inline uint32_t epochClock(uint32_t e) {
  return e >> 8;
}

uint32_t nthreads() {
  return Scheduler::threadCount();
}

uint32_t newClock() {
  if (g_nextClock >= kMaxClocks) {
    g_exhausted = true;
    return 0;
  }
  return g_nextClock++;
}

// The clock of a synchronisation key, created on demand (returns 0 when not found and !create).
uint32_t syncClock(uintptr_t key, bool create) {
  uint32_t h = static_cast<uint32_t>(splitmix64(key)) & kSyncMask;
  for (uint32_t i = 0; i <= kSyncMask; ++i) {
    SyncSlot& s = g_sync[(h + i) & kSyncMask];
    if (s.key == key)
      return s.clock;
    if (s.key == 0) {
      if (!create)
        return 0;
      uint32_t c = newClock();
      if (c == 0)
        return 0;
      s.key = key;
      s.clock = c;
      g_syncUsed[g_nsyncUsed++] = (h + i) & kSyncMask;
      return c;
    }
  }
  g_exhausted = true;
  return 0;
}

void join(uint32_t* into, const uint32_t* from) {
  for (uint32_t i = 0, n = nthreads(); i < n; ++i)
    if (from[i] > into[i])
      into[i] = from[i];
}

void assign(uint32_t* into, const uint32_t* from) {
  memcpy(into, from, nthreads() * sizeof(uint32_t));
}

void tick(int32_t t) {
  if (g_clock[t][t] < kMaxClock)
    ++g_clock[t][t];
  // Only the running thread ticks its clock: its epoch for the access path follows.
  if (detail::t_race.epoch && detail::t_race.tid == t)
    detail::t_race.epoch = epochOf(g_clock[t][t], t);
}

const char* sizeText(uint32_t code, char* buf, size_t cap) {
  if (code == kSizeRange)
    return "a range (memcpy/memset)";
  snprintf(buf, cap, "%u", 1u << code);
  return buf;
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

void noteRacyPc(SharedRecord* rec, uintptr_t pc) {
  if (pc == 0)
    return;
  for (uint32_t i = 0; i < rec->newRacyCount; ++i)
    if (rec->newRacy[i] == pc)
      return;
  if (rec->newRacyCount < kMaxRacyPcs)
    rec->newRacy[rec->newRacyCount++] = pc;
}

void describeAccess(char* out, size_t cap, bool write, uint32_t site, uintptr_t addr, int32_t tid,
                    const char* which) {
  char size[16];
  snprintf(out, cap, "%s %s of size %s at %p by thread %d '%s'", which,
           (site & kSiteAtomic) ? (write ? "atomic write" : "atomic read")
                                : (write ? "write" : "read"),
           sizeText((site >> 24) & 7, size, sizeof size), reinterpret_cast<void*>(addr), tid,
           Scheduler::name(tid));
}

void reportRace(uintptr_t addr, int32_t t, bool write, uint32_t site, int32_t u, bool uWrite,
                uint32_t uSite) {
  SharedRecord* rec = Scheduler::record();
  uint32_t node = site & CallStacks::kMaxNode;
  uint32_t uNode = uSite & CallStacks::kMaxNode;
  noteRacyPc(rec, CallStacks::pc(node));
  noteRacyPc(rec, CallStacks::pc(uNode));
  if (rec->raceMessage[0])
    return; // one report per schedule; later races only add scheduling points
  char now[160];
  char before[160];
  describeAccess(now, sizeof now, write, site, addr, t, "");
  describeAccess(before, sizeof before, uWrite, uSite, addr, u, "");
  char* msg = rec->raceMessage;
  size_t cap = sizeof rec->raceMessage;
  msg[0] = 0;
  appendf(msg, cap, "data race:%s races with the earlier%s; no synchronisation orders them", now,
          before);
  char heap[160] = {};
  if (describeHeapBlock(addr, heap, sizeof heap))
    appendf(msg, cap, " (%s)", heap);
  rec->raceAddr = addr;
  int32_t tids[2] = {t, u};
  uint32_t nodes[2] = {node, uNode};
  for (int i = 0; i < 2; ++i) {
    InvolvedThread& inv = rec->raceInvolved[i];
    inv.tid = static_cast<uint32_t>(tids[i]);
    memcpy(inv.name, rec->names[tids[i]], kNameLen);
    inv.nframes = CallStacks::frames(nodes[i], inv.frames, kMaxFrames);
  }
  snprintf(rec->raceAccess[0], sizeof rec->raceAccess[0], "%s", now + 1);
  snprintf(rec->raceAccess[1], sizeof rec->raceAccess[1], "previous%s", before);
}

inline bool concurrent(uint32_t e, const uint32_t* ct, int32_t t) {
  return e != 0 && epochTid(e) != t && epochClock(e) > ct[epochTid(e)];
}

inline bool bothAtomic(bool atomic, uint32_t otherSite) {
  return atomic && (otherSite & kSiteAtomic);
}

// A granule splitting into byte cells: each byte gets its own copy of a shared-read clock, so that
// later reads of one byte are not taken for reads of its neighbours.
uint32_t cloneReads(uint32_t r) {
  if (!(r & kSharedRead))
    return r;
  if (g_nextRead >= kMaxReadClocks) {
    g_exhausted = true;
    return 0; // forgetting the reads can miss a race, never report a false one
  }
  uint32_t idx = g_nextRead++;
  g_reads[idx] = g_reads[r & ~kSharedRead];
  return kSharedRead | idx;
}

} // namespace

void Race::init() {
  if (g_ready)
    return;
  g_sync = static_cast<SyncSlot*>(reserveMemory((size_t{kSyncMask} + 1) * sizeof(SyncSlot)));
  g_syncUsed = static_cast<uint32_t*>(reserveMemory(size_t{kMaxClocks} * sizeof(uint32_t)));
  g_clocks = static_cast<Vc*>(reserveMemory(size_t{kMaxClocks} * sizeof(Vc)));
  g_reads = static_cast<ReadClock*>(reserveMemory(size_t{kMaxReadClocks} * sizeof(ReadClock)));
  g_ready = g_sync && g_syncUsed && g_clocks && g_reads && Shadow::init() && CallStacks::init();
}

// In-process exploration runs its schedules in one process: each starts from empty tables, as a
// forked child does.
void Race::reset() {
  for (uint32_t i = 0; i < g_nsyncUsed; ++i)
    g_sync[g_syncUsed[i]] = SyncSlot{};
  g_nsyncUsed = 0;
  zeroMemory(g_clocks + 1, g_clocks + g_nextClock);
  g_nextClock = 1;
  zeroMemory(g_reads + 1, g_reads + g_nextRead);
  g_nextRead = 1;
  memset(g_clock, 0, g_threadsSeen * sizeof g_clock[0]);
  g_threadsSeen = 1;
  memset(g_fenceRelease, 0, sizeof g_fenceRelease);
  memset(g_fenceAcquire, 0, sizeof g_fenceAcquire);
  g_exhausted = false;
  Shadow::reset();
  CallStacks::startSchedule();
}

void Race::startSchedule() {
  if (!g_ready)
    return;
  if (g_used)
    reset();
  g_used = true;
  g_clock[0][0] = 1;
  detail::g_raceOn = true;
  // The thread that starts the schedule (the fork server's, in a fresh child) is known from now.
  int32_t t = Scheduler::self();
  detail::t_race.tid = t;
  detail::t_race.sched = &Scheduler::thread(t);
  detail::t_race.epoch = epochOf(g_clock[t][t], t);
  stackChanged();
}

void Race::threadCreated(int32_t parent, int32_t child) {
  if (!on())
    return;
  assign(g_clock[child], g_clock[parent]);
  g_clock[child][child] = 1;
  if (static_cast<uint32_t>(child) >= g_threadsSeen)
    g_threadsSeen = static_cast<uint32_t>(child) + 1;
  tick(parent);
}

void Race::threadStarted(int32_t tid) {
  CallStacks::reset(tid);
  detail::t_race.tid = tid;
  detail::t_race.sched = &Scheduler::thread(tid);
  detail::t_race.epoch = on() ? epochOf(g_clock[tid][tid], tid) : 0;
  stackChanged();
  g_fenceRelease[tid] = 0;
  g_fenceAcquire[tid] = 0;
}

void Race::threadFinished() {
  detail::t_race.epoch = 0;
}

void Race::endSchedule() {
  detail::g_raceOn = false;
}

void Race::threadLeaving() {
  detail::t_race.sched = nullptr;
  detail::t_race.epoch = 0;
}

void Race::threadJoined(int32_t joiner, int32_t target) {
  if (on())
    join(g_clock[joiner], g_clock[target]);
}

void Race::acquire(uintptr_t key) {
  if (!on())
    return;
  if (uint32_t c = syncClock(key, false))
    join(g_clock[self()], g_clocks[c]);
}

void Race::release(uintptr_t key) {
  if (!on())
    return;
  int32_t t = self();
  if (uint32_t c = syncClock(key, true))
    join(g_clocks[c], g_clock[t]);
  tick(t);
}

void Race::releaseStore(uintptr_t key) {
  if (!on())
    return;
  int32_t t = self();
  if (uint32_t c = syncClock(key, true))
    assign(g_clocks[c], g_clock[t]);
  tick(t);
}

void Race::forget(uintptr_t key) {
  if (!on())
    return;
  if (uint32_t c = syncClock(key, false))
    memset(g_clocks[c], 0, sizeof(Vc));
}

void Race::copy(uintptr_t to, uintptr_t from) {
  if (!on())
    return;
  uint32_t src = syncClock(from, false);
  uint32_t dst = syncClock(to, true);
  if (!dst)
    return;
  if (src)
    memcpy(g_clocks[dst], g_clocks[src], sizeof(Vc));
  else
    memset(g_clocks[dst], 0, sizeof(Vc));
}

void Race::atomic(const volatile void* addr, AtomicKind kind, MemOrder mo) {
  if (!on())
    return;
  int32_t t = self();
  auto key = reinterpret_cast<uintptr_t>(const_cast<const void*>(addr));
  bool acq = kind != AtomicKind::Store && mo != MemOrder::Relaxed && mo != MemOrder::Release;
  bool rel = kind != AtomicKind::Load &&
             (mo == MemOrder::Release || mo == MemOrder::AcqRel || mo == MemOrder::SeqCst);
  if (kind != AtomicKind::Store) {
    if (uint32_t c = syncClock(key, false)) {
      if (acq) {
        join(g_clock[t], g_clocks[c]);
      } else {
        // A relaxed read synchronises only through a later acquire fence.
        if (!g_fenceAcquire[t])
          g_fenceAcquire[t] = newClock();
        if (g_fenceAcquire[t])
          join(g_clocks[g_fenceAcquire[t]], g_clocks[c]);
      }
    }
  }
  if (kind == AtomicKind::Load)
    return;
  if (rel) {
    if (uint32_t c = syncClock(key, true)) {
      // A release store heads a new release sequence; a read-modify-write continues the old one.
      if (kind == AtomicKind::Store)
        assign(g_clocks[c], g_clock[t]);
      else
        join(g_clocks[c], g_clock[t]);
    }
    tick(t);
  } else if (g_fenceRelease[t]) {
    // A relaxed write after a release fence releases what preceded the fence.
    if (uint32_t c = syncClock(key, true))
      join(g_clocks[c], g_clocks[g_fenceRelease[t]]);
  }
}

void Race::fence(MemOrder mo) {
  if (!on())
    return;
  int32_t t = self();
  if (mo != MemOrder::Relaxed && mo != MemOrder::Release && g_fenceAcquire[t])
    join(g_clock[t], g_clocks[g_fenceAcquire[t]]);
  if (mo == MemOrder::Release || mo == MemOrder::AcqRel || mo == MemOrder::SeqCst) {
    if (!g_fenceRelease[t])
      g_fenceRelease[t] = newClock();
    if (g_fenceRelease[t])
      assign(g_clocks[g_fenceRelease[t]], g_clock[t]);
    tick(t);
  }
}

void Race::access(uintptr_t addr, uintptr_t size, bool write, bool atomic, uintptr_t pc) {
  access(addr, size, write, atomic, pc, sizeCode(size));
}

void Race::access(uintptr_t addr, uintptr_t size, bool write, bool atomic, uintptr_t pc,
                  uint32_t sizeCodeOfAccess) {
  int32_t t = self();
  const uint32_t* ct = g_clock[t];
  const uint32_t e = epochOf(ct[t], t);
  uint32_t site = 0;
  bool haveSite = false;
  auto mySite = [&] {
    if (!haveSite) {
      site = Race::site(t, pc) | (sizeCodeOfAccess << 24) | (atomic ? kSiteAtomic : 0);
      haveSite = true;
    }
    return site;
  };
  // The state of one cell (a whole granule, or a byte) for the access to `at`.
  auto check = [&](Cell* c, uintptr_t at) {
    if (write) {
      // Same epoch: nothing to check, but the site becomes this (latest) access, so that a
      // race report, and race-directed scheduling, point at the access right before the race.
      if (c->w == e && c->r == 0) {
        c->wSite = mySite();
        return;
      }
      if (concurrent(c->w, ct, t) && !bothAtomic(atomic, c->wSite))
        reportRace(at, t, true, mySite(), epochTid(c->w), true, c->wSite);
      if (c->r & kSharedRead) {
        ReadClock& rc = g_reads[c->r & ~kSharedRead];
        for (uint32_t u = 0, n = nthreads(); u < n; ++u)
          if (static_cast<int32_t>(u) != t && rc.clock[u] > ct[u] &&
              !bothAtomic(atomic, rc.site[u]))
            reportRace(at, t, true, mySite(), static_cast<int32_t>(u), false, rc.site[u]);
      } else if (concurrent(c->r, ct, t) && !bothAtomic(atomic, c->rSite)) {
        reportRace(at, t, true, mySite(), epochTid(c->r), false, c->rSite);
      }
      *c = Cell{mySite(), e, 0, 0};
      return;
    }
    if (c->r == e) {
      c->rSite = mySite();
      return;
    }
    if (concurrent(c->w, ct, t) && !bothAtomic(atomic, c->wSite))
      reportRace(at, t, false, mySite(), epochTid(c->w), true, c->wSite);
    if (c->r & kSharedRead) {
      ReadClock& rc = g_reads[c->r & ~kSharedRead];
      rc.clock[t] = ct[t];
      rc.site[t] = mySite();
    } else if (c->r == 0 || epochTid(c->r) == t || !concurrent(c->r, ct, t) ||
               g_nextRead >= kMaxReadClocks) {
      c->r = e;
      c->rSite = mySite();
    } else {
      // Two unordered reads: remember both threads' (FastTrack's read-shared state).
      uint32_t idx = g_nextRead++;
      ReadClock& rc = g_reads[idx];
      int32_t u = epochTid(c->r);
      rc.clock[u] = epochClock(c->r);
      rc.site[u] = c->rSite;
      rc.clock[t] = ct[t];
      rc.site[t] = mySite();
      c->r = kSharedRead | idx;
      c->rSite = 0;
    }
  };
  uintptr_t end = addr + size;
  while (addr < end) {
    Cell* g = Shadow::granule(addr);
    if (!g)
      return;
    uintptr_t granuleStart = addr & ~(Shadow::kGranule - 1);
    uintptr_t granuleEnd = granuleStart + Shadow::kGranule;
    if (!Shadow::isSplit(g)) {
      if (addr == granuleStart && end >= granuleEnd) {
        check(g, addr);
        addr = granuleEnd;
        continue;
      }
      Shadow::split(g, addr, cloneReads);
    }
    for (Cell* b = Shadow::byteCell(g, addr); addr < end && addr < granuleEnd; ++addr, ++b)
      check(b, addr);
  }
}

uint32_t Race::siteMiss(int32_t tid, uintptr_t pc, uint32_t slot) {
  uint32_t node = CallStacks::site(tid, pc);
  detail::RaceThread& me = detail::t_race;
  if (me.sched) {
    me.memo[slot] = {pc, me.stackGen, node};
  }
  return node;
}

void Race::clear(uintptr_t addr, uintptr_t size) {
  if (on())
    Shadow::clear(addr, size, cloneReads);
}

} // namespace threadcheck::rt
