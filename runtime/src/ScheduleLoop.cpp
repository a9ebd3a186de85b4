#include "ScheduleLoop.h"

#include "Strategy.h"

#include <link.h>
#include <unistd.h>

namespace threadcheck::rt {
namespace {

void resetScheduleFields(SharedRecord* rec) {
  rec->current = 0;
  rec->steps = 0;
  rec->traceHash = 0;
  rec->ndecisions = 0;
  rec->exitedCleanly = 0;
  rec->divergenceStep = 0;
  rec->softMessage[0] = 0;
  rec->nsoftInvolved = 0;
  rec->raceMessage[0] = 0;
  rec->raceAddr = 0;
  rec->newRacyCount = 0;
  rec->kind = FindingKind::None;
  rec->message[0] = 0;
  rec->ninvolved = 0;
  rec->eventCount = 0;
}

struct Module {
  uintptr_t addr;
  const char* name;
  uintptr_t bias;
  bool found;
};

int findModule(dl_phdr_info* info, size_t, void* arg) {
  auto* m = static_cast<Module*>(arg);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD)
      continue;
    uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    if (m->addr >= lo && m->addr < lo + ph.p_memsz) {
      m->name = info->dlpi_name;
      m->bias = info->dlpi_addr;
      m->found = true;
      return 1;
    }
  }
  return 0;
}

} // namespace

void prepareSchedule(SharedRecord* rec, uint64_t seed, uint64_t index, uint64_t longest) {
  resetScheduleFields(rec);
  rec->seed = splitmix64(seed ^ splitmix64(index + 1));
  rec->expectedSteps = longest;
}

bool nextDfsPrefix(SharedRecord* rec) {
  uint32_t n = rec->ndecisions;
  static uint32_t preempt[kMaxDecisions + 1];
  preempt[0] = 0;
  for (uint32_t k = 0; k < n; ++k)
    preempt[k + 1] = preempt[k] + ((rec->dfsPreemptive[k] >> rec->dfsChosen[k]) & 1u);
  for (uint32_t k = n; k-- > 0;) {
    for (uint32_t j = rec->dfsChosen[k] + 1u; j < rec->dfsChoices[k]; ++j) {
      uint32_t cost = j < 16 ? ((rec->dfsPreemptive[k] >> j) & 1u) : 1u;
      if (preempt[k] + cost > rec->preemptionBound)
        continue;
      for (uint32_t i = 0; i < k; ++i)
        rec->replay[i] = rec->dfsChosen[i];
      rec->replay[k] = j;
      rec->replayCount = k + 1;
      return true;
    }
  }
  return false;
}

bool moduleOf(uintptr_t pc, const char** module, uintptr_t* offset) {
  Module m{pc, nullptr, 0, false};
  dl_iterate_phdr(findModule, &m);
  if (!m.found)
    return false;
  static char exe[4096];
  if (!m.name || !*m.name) {
    if (!exe[0]) {
      ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
      exe[n > 0 ? n : 0] = 0;
    }
    m.name = exe;
  }
  *module = m.name;
  *offset = pc - m.bias;
  return true;
}

} // namespace threadcheck::rt
