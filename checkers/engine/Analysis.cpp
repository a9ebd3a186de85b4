#include "threadcheck/checkers/Analysis.h"

#include "checks/Check.h"
#include "engine/LockStateAnalysis.h"
#include "engine/Model.h"
#include "engine/Summary.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace threadcheck::checkers {
namespace {

// Strongly connected components of the call graph, callees before callers (Tarjan's order).
std::vector<std::vector<const model::FunctionModel*>>
callGraphComponents(const std::vector<const model::FunctionModel*>& fns,
                    const std::unordered_map<std::string, const model::FunctionModel*>& byId) {
  std::unordered_map<const model::FunctionModel*, std::vector<const model::FunctionModel*>> edges;
  for (const model::FunctionModel* fn : fns)
    for (const model::Block& b : fn->blocks)
      for (const model::Event& ev : b.events)
        if (ev.kind == model::EventKind::Call) {
          if (auto it = byId.find(ev.callee); !ev.callee.empty() && it != byId.end())
            edges[fn].push_back(it->second);
          // A callback's summary is needed where it is handed over, as a callee's is.
          for (const std::string& cb : ev.callbacks)
            if (auto it = byId.find(cb); it != byId.end())
              edges[fn].push_back(it->second);
        }

  std::vector<std::vector<const model::FunctionModel*>> out;
  std::unordered_map<const model::FunctionModel*, int> index, low;
  std::unordered_set<const model::FunctionModel*> onStack;
  std::vector<const model::FunctionModel*> stack;
  int counter = 0;
  // Iterative Tarjan: call chains in real code bases are deeper than a thread's stack likes.
  struct Frame {
    const model::FunctionModel* fn;
    size_t next;
  };
  for (const model::FunctionModel* root : fns) {
    if (index.count(root))
      continue;
    std::vector<Frame> frames{{root, 0}};
    index[root] = low[root] = counter++;
    stack.push_back(root);
    onStack.insert(root);
    while (!frames.empty()) {
      Frame& f = frames.back();
      const auto& succs = edges[f.fn];
      if (f.next < succs.size()) {
        const model::FunctionModel* s = succs[f.next++];
        if (!index.count(s)) {
          index[s] = low[s] = counter++;
          stack.push_back(s);
          onStack.insert(s);
          frames.push_back({s, 0});
        } else if (onStack.count(s)) {
          low[f.fn] = std::min(low[f.fn], index[s]);
        }
        continue;
      }
      if (low[f.fn] == index[f.fn]) {
        std::vector<const model::FunctionModel*> comp;
        const model::FunctionModel* w;
        do {
          w = stack.back();
          stack.pop_back();
          onStack.erase(w);
          comp.push_back(w);
        } while (w != f.fn);
        out.push_back(std::move(comp));
      }
      const model::FunctionModel* done = f.fn;
      frames.pop_back();
      if (!frames.empty())
        low[frames.back().fn] = std::min(low[frames.back().fn], low[done]);
    }
  }
  return out;
}

bool callsItself(const model::FunctionModel* fn) {
  for (const model::Block& b : fn->blocks)
    for (const model::Event& ev : b.events)
      if (ev.kind == model::EventKind::Call && ev.callee == fn->id)
        return true;
  return false;
}

// The parameter index of a key that designates exactly what a parameter points to ("P1").
std::optional<unsigned> parameterIndex(const std::string& key) {
  if (key.size() < 2 || key[0] != 'P' ||
      !std::all_of(key.begin() + 1, key.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<unsigned>(std::stoul(key.substr(1)));
}

// A function that initialises a mutex its caller passes as recursive (libuv's
// uv_mutex_init_recursive: pthread_mutexattr_settype(PTHREAD_MUTEX_RECURSIVE), then
// pthread_mutex_init(m, &attr)) makes recursive every mutex its callers pass there, also through
// wrappers that pass their own parameter on. Found on the models, before any summary, since the
// functions that lock those mutexes need it and need not call the initialiser.
void addInitsThroughWrappers(const std::vector<const model::FunctionModel*>& fns,
                             InitFacts& inits) {
  std::unordered_map<std::string, std::map<unsigned, model::Recursion>> initParams;
  for (const model::FunctionModel* fn : fns)
    for (const model::Block& b : fn->blocks)
      for (const model::Event& ev : b.events)
        if (ev.kind == model::EventKind::Init && !ev.locks.empty() &&
            ev.locks[0].recursion != model::Recursion::No)
          if (std::optional<unsigned> i = parameterIndex(ev.locks[0].key))
            initParams[fn->id].emplace(*i, ev.locks[0].recursion);
  if (initParams.empty())
    return;
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (const model::FunctionModel* fn : fns)
      for (const model::Block& b : fn->blocks)
        for (const model::Event& ev : b.events) {
          if (ev.kind != model::EventKind::Call)
            continue;
          auto callee = initParams.find(ev.callee);
          if (callee == initParams.end())
            continue;
          std::map<unsigned, model::Recursion> found = callee->second;
          for (const auto& [index, recursion] : found) {
            if (index >= ev.args.size())
              continue;
            const model::ObjRef& arg = ev.args[index];
            if (std::optional<unsigned> mine = parameterIndex(arg.key))
              changed |= initParams[fn->id].emplace(*mine, recursion).second;
            else if (!arg.declKey.empty()) {
              auto [it, inserted] = inits.emplace(arg.declKey, recursion);
              if (!inserted && recursion == model::Recursion::Yes)
                it->second = recursion;
            }
          }
        }
    if (!changed)
      break;
  }
}

} // namespace

std::vector<Finding> analyzeProgram(const std::vector<TranslationUnitFacts>& units,
                                    const CheckFilter& filter,
                                    std::vector<IncompleteFunction>* incomplete) {
  // The same inline function or template instantiation appears in every unit that includes it.
  std::vector<const model::FunctionModel*> fns;
  std::unordered_map<std::string, const model::FunctionModel*> byId;
  InitFacts inits;
  for (const TranslationUnitFacts& u : units) {
    for (const auto& fn : u.functions)
      if (!fn->id.empty() && byId.emplace(fn->id, fn.get()).second)
        fns.push_back(fn.get());
    for (const model::LockInitFact& f : u.lockInits) {
      auto [it, inserted] = inits.emplace(f.declKey, f.recursion);
      if (!inserted && f.recursion == model::Recursion::Yes)
        it->second = f.recursion;
    }
  }

  addInitsThroughWrappers(fns, inits);

  SummaryTable summaries;
  std::vector<Observation> observations;
  // A callee judged for the constant arguments of one call (`pause_threads(RESUME_ALL_THREADS)`
  // runs its resume case only, `handler(-42, 0, 0)` takes its `fd == -42` branch): analysed
  // again with those parameters known, once per callee and values. Only callees whose summary is
  // complete (not of the component being analysed), and not deeper than a few calls.
  std::map<std::string, Summary> specialisedCache;
  int specialisingDepth = 0;
  SpecialisedSummary specialised = [&](const model::Event& call) -> const Summary* {
    auto model = byId.find(call.callee);
    if (model == byId.end() || !summaries.count(call.callee) || specialisingDepth >= 3)
      return nullptr;
    const model::FunctionModel& fn = *model->second;
    EntryFacts entry;
    std::string key = call.callee;
    for (size_t i = 0; i < call.argConsts.size() && i < fn.paramAtoms.size(); ++i)
      if (call.argConsts[i] && !fn.paramAtoms[i].empty() && fn.atomVars.count(fn.paramAtoms[i])) {
        entry.emplace_back(fn.paramAtoms[i], *call.argConsts[i]);
        key += "|" + std::to_string(i) + "=" + std::to_string(*call.argConsts[i]);
      }
    if (entry.empty())
      return nullptr;
    if (auto it = specialisedCache.find(key); it != specialisedCache.end())
      return &it->second;
    ++specialisingDepth;
    Summary s = analyzeFunction(fn, summaries, inits, nullptr, specialised, entry);
    --specialisingDepth;
    return &specialisedCache.emplace(key, std::move(s)).first->second;
  };
  for (const auto& component : callGraphComponents(fns, byId)) {
    bool recursive = component.size() > 1 || callsItself(component.front());
    if (recursive) {
      for (int round = 0; round < 4; ++round) {
        bool changed = false;
        for (const model::FunctionModel* fn : component) {
          Summary s = analyzeFunction(*fn, summaries, inits, nullptr);
          auto it = summaries.find(fn->id);
          if (it == summaries.end() || !(it->second == s)) {
            summaries[fn->id] = std::move(s);
            changed = true;
          }
        }
        if (!changed)
          break;
      }
    }
    for (const model::FunctionModel* fn : component)
      summaries[fn->id] = analyzeFunction(*fn, summaries, inits, &observations, specialised);
  }

  ProgramView view;
  view.units = &units;
  view.summaryOf = [&](const std::string& usr) -> const Summary* {
    auto it = summaries.find(usr);
    return it == summaries.end() ? nullptr : &it->second;
  };
  // A thread's entry is analysed on its own (nothing calls it directly): what it does comes
  // from its summary, known only now.
  for (Observation& obs : observations) {
    if (obs.kind != ObservationKind::ThreadLaunch)
      continue;
    auto it = summaries.find(obs.entry);
    if (it == summaries.end())
      continue;
    const Summary& entry = it->second;
    if (entry.throws) {
      obs.entryThrows = Observation::EntryProblem::Throws;
      obs.entryDetail = entry.throws->lock.display == "throw"
                            ? "thrown at line " + std::to_string(entry.throws->loc.line)
                            : "from '" + entry.throws->lock.display + "'";
      obs.entryNotes = entry.throws->chain;
      obs.entryNotes.push_back({entry.throws->loc, entry.throws->lock.display == "throw"
                                                       ? "exception thrown here"
                                                       : "'" + entry.throws->lock.display +
                                                             "' can throw here"});
    }
    if (!obs.detached)
      continue;
    const Effect* held = !entry.acquires.empty()      ? &entry.acquires.front()
                         : !entry.tryAcquires.empty() ? &entry.tryAcquires.front().effect
                         : entry.leaks                ? &*entry.leaks
                                                      : nullptr;
    if (held) {
      obs.entryResource = Observation::EntryProblem::HoldsLock;
      obs.entryDetail = held->lock.display;
      obs.entryNotes = held->chain;
      obs.entryNotes.push_back({held->loc, "'" + held->lock.display + "' acquired here"});
    } else if (entry.runsForever) {
      obs.entryResource = Observation::EntryProblem::RunsForever;
      if (auto fn = byId.find(obs.entry); fn != byId.end())
        obs.entryNotes = {{fn->second->loc, "the thread's entry, which never returns"}};
    }
  }

  // A pthread/C11 handle of a thread whose entry never returns (a server's `while (1)` worker)
  // can never be joined: dropping it leaks nothing that joining would give back. A std::thread
  // object is different: destroying it joinable calls std::terminate whatever the thread does.
  std::erase_if(observations, [&](const Observation& obs) {
    if (obs.kind != ObservationKind::ThreadNotJoined || !obs.handle || obs.entry.empty())
      return false;
    auto it = summaries.find(obs.entry);
    return it != summaries.end() && it->second.runsForever;
  });

  if (incomplete)
    for (const Observation& obs : observations)
      if (obs.kind == ObservationKind::GaveUp && obs.function)
        incomplete->push_back({obs.function->name, model::toLocation(obs.loc)});

  std::vector<Finding> all;
  auto checks = createModelChecks();
  for (const auto& check : checks)
    if (filter.enabled(check->id()))
      check->begin(view);
  for (const Observation& obs : observations)
    for (const auto& check : checks)
      if (filter.enabled(check->id()))
        check->check(obs, all);
  for (const auto& check : checks)
    if (filter.enabled(check->id()))
      check->finish(all);
  for (const auto& check : createProgramChecks())
    if (filter.enabled(check->id()))
      check->check(view, all);
  for (const TranslationUnitFacts& u : units)
    for (const Finding& f : u.localFindings)
      if (filter.enabled(f.checkId))
        all.push_back(f);
  sortAndDeduplicate(all);
  return all;
}

} // namespace threadcheck::checkers
