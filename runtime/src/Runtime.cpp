// Loading the runtime: decides whether this process is under `threadcheck run`, and if so maps
// the shared record and turns the blocking model on.
#include "AbiCheck.h"
#include "ForkServer.h"
#include "Instrument.h"
#include "Raw.h"
#include "Scheduler.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <pthread.h>
#include <sys/mman.h>
#include <threadcheck/Protocol.h>
#include <unistd.h>

extern "C" int threadcheck_own_mutex_lock(pthread_mutex_t*);

namespace threadcheck::rt {
namespace {

uint64_t envU64(const char* name, uint64_t dflt) {
  const char* v = getenv(name);
  return v && *v ? strtoull(v, nullptr, 10) : dflt;
}

// The racy set of a replayed schedule: comma-separated hexadecimal addresses.
void loadRacyPcs(const char* list, SharedRecord* rec) {
  rec->racyCount = 0;
  for (const char* p = list; *p && rec->racyCount < kMaxRacyPcs;) {
    char* end = nullptr;
    unsigned long long v = strtoull(p, &end, 16);
    if (end == p)
      break;
    rec->racyPcs[rec->racyCount++] = v;
    p = *end == ',' ? end + 1 : end;
  }
}

bool loadReplay(const char* path, SharedRecord* rec) {
  FILE* f = fopen(path, "r");
  if (!f)
    return false;
  unsigned long v = 0;
  uint32_t n = 0;
  while (n < kMaxDecisions && fscanf(f, "%lu", &v) == 1)
    rec->replay[n++] = static_cast<uint32_t>(v);
  fclose(f);
  rec->replayCount = n;
  return true;
}

bool g_initialised = false;

// A child of the program's own fork before its first thread is not explored: only the process
// `threadcheck run` started becomes the fork server. Otherwise both would explore, and the run
// would count twice the schedules asked for (their messages share the pipe). The fork server's
// own forks are schedules, and a fork inside a schedule stays as it was.
void afterForkInChild() {
  if (!config().serving && !Scheduler::active())
    Scheduler::disable();
}

void initRuntime() {
  if (g_initialised)
    return;
  g_initialised = true;
  namespace p = threadcheck::protocol;
  const char* fd = getenv(p::kEnvFd);
  if (!fd || !*fd)
    return;
  // With the runtime both linked into the program and preloaded, only the copy whose
  // interceptors win symbol resolution may run.
  if (dlsym(RTLD_DEFAULT, "pthread_mutex_lock") !=
      reinterpret_cast<void*>(&threadcheck_own_mutex_lock))
    return;
  Config& c = config();
  c.fd = atoi(fd);
  // Tells the tool that the runtime is in the program: a program that then starts no thread is
  // "nothing explored", one without this line was never under the runtime at all.
  char hello[48];
  int n = snprintf(hello, sizeof hello, "loaded %ld\n", static_cast<long>(getpid()));
  rawWrite(c.fd, hello, static_cast<size_t>(n));
  pthread_atfork(nullptr, nullptr, afterForkInChild);
  c.seed = envU64(p::kEnvSeed, 0);
  c.iterations = envU64(p::kEnvIterations, 1000);
  c.job = static_cast<uint32_t>(envU64(p::kEnvJob, 0));
  c.jobs = static_cast<uint32_t>(envU64(p::kEnvJobs, 1));
  if (c.jobs == 0)
    c.jobs = 1;
  c.deadlineNs = envU64(p::kEnvDeadlineNs, 0);
  c.cpu = static_cast<uint32_t>(envU64(p::kEnvCpu, 0));
  c.scheduleTimeoutMs = envU64(p::kEnvScheduleTimeoutMs, 10000);
  c.keepGoing = envU64(p::kEnvKeepGoing, 0) != 0;
  // Kind names, comma-separated (checked by the tool); an unknown one is left out.
  if (const char* ignore = getenv(p::kEnvIgnore))
    for (uint32_t k = 1; k <= static_cast<uint32_t>(FindingKind::Timeout); ++k) {
      const char* name = findingKindName(static_cast<FindingKind>(k));
      size_t len = strlen(name);
      for (const char* q = ignore; (q = strstr(q, name)) != nullptr; q += len)
        if ((q == ignore || q[-1] == ',') && (q[len] == ',' || q[len] == 0))
          c.ignore |= 1u << k;
    }
  const char* strategy = getenv(p::kEnvStrategy);
  if (strategy && !strcmp(strategy, "pct"))
    c.strategy = StrategyKind::Pct;
  else if (strategy && !strcmp(strategy, "pos"))
    c.strategy = StrategyKind::Pos;
  else if (strategy && !strcmp(strategy, "dfs"))
    c.strategy = StrategyKind::Dfs;
  else if (strategy && !strcmp(strategy, "replay"))
    c.strategy = StrategyKind::Replay;

  void* mem = mmap(nullptr, sizeof(SharedRecord), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    return;
  auto* rec = static_cast<SharedRecord*>(mem);
  rec->strategy = c.strategy;
  rec->pctDepth = static_cast<uint32_t>(envU64(p::kEnvPctDepth, 3));
  rec->preemptionBound = static_cast<uint32_t>(envU64(p::kEnvPreemptionBound, 2));
  rec->maxSteps = envU64(p::kEnvMaxSteps, 10000000);
  rec->livelockSteps = envU64(p::kEnvLivelockSteps, 100000);
  rec->timeSliceUs = static_cast<uint32_t>(envU64(p::kEnvTimeSliceUs, 0));
  if (const char* mode = getenv(p::kEnvAccessPoints); mode && *mode) {
    c.instrumented = true;
    c.accessPoints = accessPointsNamed(mode);
    c.racePass = envU64(p::kEnvRacePass, 0);
    rec->accessPoints = c.accessPoints;
    if (const char* pcs = getenv(p::kEnvRacyPcs))
      loadRacyPcs(pcs, rec);
    checkInstrumentationAbi();
    Instrument::init(c.accessPoints);
  }
  if (c.strategy == StrategyKind::Replay) {
    const char* file = getenv(p::kEnvReplayFile);
    if (!file || !loadReplay(file, rec)) {
      fprintf(stderr, "threadcheck runtime: cannot read the replay decisions\n");
      _exit(125);
    }
  }
  // Programs this one starts must not mistake themselves for the explored program.
  for (const char* name :
       {p::kEnvFd,         p::kEnvSeed,          p::kEnvIterations,  p::kEnvJob,
        p::kEnvJobs,       p::kEnvDeadlineNs,    p::kEnvCpu,         p::kEnvScheduleTimeoutMs,
        p::kEnvKeepGoing,  p::kEnvStrategy,      p::kEnvPctDepth,    p::kEnvPreemptionBound,
        p::kEnvMaxSteps,   p::kEnvLivelockSteps, p::kEnvTimeSliceUs, p::kEnvIgnore,
        p::kEnvReplayFile, p::kEnvAccessPoints,  p::kEnvRacePass,    p::kEnvRacyPcs})
    unsetenv(name);
  Scheduler::init(rec);
}

__attribute__((constructor(101))) void initAtLoad() {
  initRuntime();
}

} // namespace

void ensureInitialised() {
  initRuntime();
}

Config g_config;

Config& config() {
  return g_config;
}

} // namespace threadcheck::rt

extern "C" __attribute__((visibility("default"))) int threadcheck_runtime_present() {
  return 1;
}
