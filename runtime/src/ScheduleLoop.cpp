#include "ScheduleLoop.h"

#include "Strategy.h"

#include <algorithm>
#include <cstring>
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
  rec->lastProgress = 0;
  rec->spinTid = 0;
  rec->spinSlices = 0;
  rec->spinNframes = 0;
  rec->divergenceStep = 0;
  rec->softMessage[0] = 0;
  rec->nsoftInvolved = 0;
  rec->softStacks[0].nframes = rec->softStacks[1].nframes = 0;
  rec->nexitInvolved = 0;
  rec->captureRequest = 0;
  rec->nstuck = 0;
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

// The main executable's path: dl_iterate_phdr names it "".
const char* executablePath() {
  static char exe[4096];
  if (!exe[0]) {
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
  }
  return exe;
}

struct ModuleByName {
  const char* name;
  uintptr_t bias;
  bool found;
};

int findModuleByName(dl_phdr_info* info, size_t, void* arg) {
  auto* m = static_cast<ModuleByName*>(arg);
  const char* name = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : executablePath();
  if (strcmp(name, m->name) != 0)
    return 0;
  m->bias = info->dlpi_addr;
  m->found = true;
  return 1;
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

bool RacePass::prepare(SharedRecord* rec) const {
  if (!on_)
    return false;
  bool inPass = left_ > 0;
  rec->accessPoints = AccessPoints::Racy;
  // The pass already preempts at the locations it has found (each schedule records its own set,
  // so replay stays exact); dfs keeps an empty set because its tree restarts after the pass.
  bool fixedSet = inPass && dfs_;
  rec->racyCount = fixedSet ? 0 : static_cast<uint32_t>(racy_.size());
  for (uint32_t k = 0; k < rec->racyCount; ++k)
    rec->racyPcs[k] = racy_[k];
  return inPass;
}

void RacePass::after(SharedRecord* rec) {
  // Once races have been seen, a few pass schedules that add no location end the pass: a small
  // program's races all show in its first schedules, and the pass is pure overhead after that.
  constexpr uint64_t kQuietPassSchedules = 3;
  size_t known = racy_.size();
  for (uint32_t k = 0; k < rec->newRacyCount && k < kMaxRacyPcs; ++k)
    if (racy_.size() < kMaxRacyPcs &&
        std::find(racy_.begin(), racy_.end(), rec->newRacy[k]) == racy_.end())
      racy_.push_back(rec->newRacy[k]);
  quiet_ = racy_.size() > known || racy_.empty() ? 0 : quiet_ + 1;
  if (--left_ == 0 || quiet_ >= kQuietPassSchedules || (dfs_ && !nextDfsPrefix(rec))) {
    left_ = 0;
    rec->replayCount = 0;
  }
}

bool moduleOf(uintptr_t pc, const char** module, uintptr_t* offset) {
  Module m{pc, nullptr, 0, false};
  dl_iterate_phdr(findModule, &m);
  if (!m.found)
    return false;
  *module = m.name && *m.name ? m.name : executablePath();
  *offset = pc - m.bias;
  return true;
}

bool moduleBase(const char* module, uintptr_t* bias) {
  ModuleByName m{module, 0, false};
  dl_iterate_phdr(findModuleByName, &m);
  *bias = m.bias;
  return m.found;
}

} // namespace threadcheck::rt
