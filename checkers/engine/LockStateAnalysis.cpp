#include "engine/LockStateAnalysis.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <unordered_set>

namespace threadcheck::checkers {

using model::Event;
using model::EventKind;
using model::ObjRef;
using model::Value;

bool Summary::operator==(const Summary& o) const {
  auto keys = [](const std::vector<Effect>& v) {
    std::vector<std::string> k;
    for (const Effect& e : v)
      k.push_back(e.lock.key);
    std::sort(k.begin(), k.end());
    return k;
  };
  auto tryKeys = [](const std::vector<TryAcquire>& v) {
    std::vector<std::pair<std::string, int64_t>> k;
    for (const TryAcquire& t : v)
      k.emplace_back(t.effect.lock.key, t.heldUnlessFail ? INT64_MIN : t.value);
    std::sort(k.begin(), k.end());
    return k;
  };
  return mayThrow == o.mayThrow && throws.has_value() == o.throws.has_value() &&
         keys(acquires) == keys(o.acquires) &&
         tryKeys(tryAcquires) == tryKeys(o.tryAcquires) && keys(releases) == keys(o.releases) &&
         keys(locksInside) == keys(o.locksInside) && keys(returnedGuard) == keys(o.returnedGuard) &&
         blocks.has_value() == o.blocks.has_value() && blocksBySleep == o.blocksBySleep &&
         blocksExcept == o.blocksExcept &&
         blocksExceptGuards == o.blocksExceptGuards && binds.size() == o.binds.size() &&
         guardOwns == o.guardOwns;
}

namespace {

constexpr unsigned kMaxDepth = 4;
constexpr size_t kMaxStatesPerBlock = 48;
constexpr size_t kMaxSteps = 60000;
constexpr size_t kMaxTrail = 24;

enum class Status : uint8_t { NotHeld, Held };

struct LockState {
  Status status = Status::NotHeld;
  uint8_t depth = 0;
  model::LockMode mode = model::LockMode::Exclusive;
  bool guarded = false;
  // Metadata: not part of state identity.
  model::Loc at;                  // acquired / released / initialised here
  NotHeldReason reason = NotHeldReason::NeverLocked;
  std::vector<PathNote> how;      // acquisition notes (a chain through calls)
  size_t trailMark = 0;           // trail length when acquired
  bool fromTry = false;           // acquired by a try-lock: held-ness follows a result value
  bool callersOnly = false;       // released, and on this path never taken by this function
};

struct GuardState {
  std::vector<std::string> keys;
  bool owns = false;
  model::LockMode mode = model::LockMode::Exclusive;
  // Built inside a try block (its handlers): an exception caught there destroys the guard.
  std::vector<unsigned> tryHandlers;
};

// A local object of a class whose destructor has lock effects, built inside a try block: an
// exception caught by that try runs the destructor on the way to the handler.
struct UnwindObject {
  std::string dtor, dtorName;
  model::ObjRef object;
  std::vector<unsigned> tryHandlers;
};

enum class TStatus : uint8_t { NotStarted, Joinable, Joined, Detached, MovedFrom, NotCreated };

struct ThreadState {
  TStatus status = TStatus::NotStarted;
  bool autoJoin = false;
  bool handle = false;
  // Metadata.
  model::Loc createdAt;
  model::Loc at; // where it reached this status
  std::string entry, entryName;
  std::vector<model::Capture> captures;
};

struct Literal {
  bool equals;
  int64_t value;
  bool operator<(const Literal& o) const {
    return std::tie(equals, value) < std::tie(o.equals, o.value);
  }
  bool operator==(const Literal& o) const = default;
};

struct State {
  std::map<std::string, LockState> locks;
  std::map<std::string, GuardState> guards;
  std::map<std::string, ThreadState> threads;
  std::map<std::string, std::vector<Literal>> facts;
  std::map<std::string, std::string> alias;
  std::map<std::string, std::string> binds;
  // Live objects of user-defined guard classes (a constructor that locks, a destructor that
  // unlocks) and the locks their destructors release: at scope end, and also when an exception
  // unwinds the scope, so those locks are never left held by an exception.
  std::map<std::string, std::vector<std::string>> userGuards;
  std::map<std::string, UnwindObject> unwind;
  // Result atoms of lock calls that answer 0 when they locked, and the locks they took: a branch
  // that learns the result is not 0 learns the lock call failed.
  std::map<std::string, std::vector<std::string>> lockResults;
  // Result atoms of unlock calls that answer 0 when they unlocked (pthread_mutex_unlock), and
  // for each lock whether this thread held it before the call (or may: a caller's lock).
  std::map<std::string, std::vector<std::pair<std::string, bool>>> unlockResults;
  std::string retAtom; // what the function returns, when it is a tracked atom
  bool returned = false;
  model::Loc retLoc;
  std::optional<int64_t> retValue;
  std::vector<std::string> retGuardKeys;
  // Metadata.
  std::vector<PathNote> trail;

  std::string signature() const {
    std::string s;
    for (const auto& [k, l] : locks) {
      s += k;
      s += l.status == Status::Held ? "#H" : "#N";
      s += char('0' + l.depth);
      s += l.mode == model::LockMode::Shared ? 's' : 'x';
      s += l.guarded ? 'g' : 'm';
      s += ';';
    }
    s += '|';
    for (const auto& [k, g] : guards) {
      s += k + (g.owns ? "+" : "-");
      for (const std::string& key : g.keys)
        s += key + ",";
      s += ';';
    }
    s += '|';
    for (const auto& [k, t] : threads)
      s += k + ":" + char('0' + static_cast<int>(t.status)) + ";";
    s += '|';
    for (const auto& [k, lits] : facts) {
      s += k;
      for (const Literal& l : lits)
        s += (l.equals ? "=" : "!") + std::to_string(l.value);
      s += ';';
    }
    s += '|';
    for (const auto& [k, v] : alias)
      s += k + ">" + v + ";";
    s += '|';
    for (const auto& [k, v] : binds)
      s += k + ">" + v + ";";
    auto keyLists = [&](const std::map<std::string, std::vector<std::string>>& lists) {
      s += '|';
      for (const auto& [name, keys] : lists) {
        s += name + "{";
        for (const std::string& k : keys)
          s += k + ",";
        s += "}";
      }
    };
    keyLists(userGuards);
    s += '|';
    for (const auto& [o, u] : unwind)
      s += o + ";";
    keyLists(lockResults);
    s += '|';
    for (const auto& [name, before] : unlockResults) {
      s += name + "{";
      for (const auto& [k, held] : before)
        s += k + (held ? "#H" : "#N") + ",";
      s += "}";
    }
    if (returned) {
      s += "|R" + std::to_string(retLoc.line) + ":" + std::to_string(retLoc.col);
      if (retValue)
        s += "=" + std::to_string(*retValue);
      for (const std::string& k : retGuardKeys)
        s += "g" + k;
    }
    return s;
  }
};

// Keys longer than this name no object a program spells out; they come from a chain of stores
// through pointers that an analysis of a loop would otherwise lengthen on every pass.
constexpr size_t kMaxBindKey = 256;

// Pointer `var` (a key ending in '*') now designates `target`. What was known through its old
// value goes. `p = p->next`, directly, through a copy of p or through a callee that stores into
// p (`c->head = c->head->next` in a helper called in a loop), names the target through the value
// being overwritten; binding it would name a longer chain on every pass of a list walk, so the
// states of the loop would never converge and the keys would grow until memory ran out. Such a
// pointer designates nothing the analysis can name.
void bindPointer(State& st, const std::string& var, const std::string& target) {
  auto self = st.binds.find(var);
  const std::string old = self != st.binds.end() ? self->second : var;
  bool walk = target.size() > old.size() && target.compare(0, old.size(), old) == 0;
  for (auto it = st.binds.begin(); it != st.binds.end();)
    it = it->first.rfind(var, 0) == 0 ? st.binds.erase(it) : std::next(it);
  if (!walk && target != var && target.size() <= kMaxBindKey && var.size() <= kMaxBindKey)
    st.binds[var] = target;
}

// One hold of a held lock ends: a recursive lock taken twice is still held after it. True when
// the lock is no longer held.
bool dropOneHold(LockState& ls) {
  if (ls.depth > 1) {
    --ls.depth;
    return false;
  }
  ls.status = Status::NotHeld;
  ls.depth = 0;
  ls.guarded = false;
  return true;
}

struct ExitRecord {
  std::set<std::string> held;         // non-local locks held
  std::set<std::string> guardReturned;
  std::optional<int64_t> ret;
  model::Loc loc;
  bool fellOff = false;
  std::map<std::string, const LockState*> heldStates;
  State state;
};

bool isLocalKey(const std::string& key) {
  return !key.empty() && key[0] == 'L' && key.find('*') == std::string::npos;
}
bool isStaticLocalKey(const std::string& key) {
  return key.rfind("S:", 0) == 0 && key.find('*') == std::string::npos;
}
// Keys a caller can translate: parameters, the object, globals, static locals.
bool isSummarisable(const std::string& key) {
  if (key.empty())
    return false;
  if (key[0] == 'P' || key[0] == 'T')
    return true;
  return key.rfind("G:", 0) == 0 || key.rfind("S:", 0) == 0;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

class Analyzer {
public:
  Analyzer(const model::FunctionModel& fn, const SummaryTable& sums, const InitFacts& inits,
           std::vector<Observation>* out, const SpecialisedSummary& specialised,
           const EntryFacts& entry)
      : fn_(fn), sums_(sums), inits_(inits), out_(out), specialised_(specialised), entry_(entry) {}

  Summary run();

private:
  void push(int block, State st);
  void processBlock(unsigned block, State st);
  void apply(const Event& ev, State& st, std::vector<State>& next);
  void onExit(State st);
  void finish();

  // Lock operations.
  ObjRef resolve(const State& st, const ObjRef& ref);
  std::string resolveKey(const State& st, const std::string& key) const;
  model::Recursion recursionOf(const ObjRef& ref) const;
  Status statusOf(const State& st, const ObjRef& ref, bool& known) const;
  void acquire(State& st, const ObjRef& ref, model::LockMode mode, bool guarded, model::Loc loc,
               std::vector<PathNote> how, bool reportDouble = true, bool isTry = false);
  void orderEdges(const State& st, const ObjRef& ref, model::Loc loc,
                  const std::vector<PathNote>& how);
  void waitedFor(const ObjRef& ref, model::Loc loc);
  void release(State& st, const ObjRef& ref, model::Loc loc, bool byGuard, const Event* via,
               bool someExits = false);
  void throwPoint(const State& st, const Event& ev, bool explicitThrow, bool mayThrow);
  std::vector<State> unwindTo(State st, const Event& thrower);
  // `except`: locks the blocking call releases while it waits; `exceptGuards`: guards whose
  // mutexes it releases (a cv wait), which may be the caller's when this function received them.
  void blockingPoint(const State& st, std::vector<std::string> except,
                     const std::vector<std::string>& exceptGuards, const std::string& what,
                     model::Loc loc, const std::vector<PathNote>& chain, bool viaCall,
                     bool sleep);
  void applyCall(const Event& ev, State& st, std::vector<State>& next);
  void guardAcquire(State& st, const std::string& guard, model::Loc loc);
  void guardRelock(const State& st, const std::string& guard, model::Loc loc);
  // std::lock / std::try_lock: what they take (mutexes and the mutexes of guards) and the guards
  // they leave owning.
  struct MultiLockTarget {
    ObjRef ref;
    model::LockMode mode;
    bool guarded;
  };
  std::vector<std::string> guardsToLock(const State& st, const Event& ev);
  std::vector<MultiLockTarget> multiLockTargets(State& st, const Event& ev,
                                                const std::vector<std::string>& guards);
  void ownGuards(State& st, const std::vector<std::string>& guards, bool owns);
  void applyThread(const Event& ev, State& st, std::vector<State>& next);
  std::set<std::string> threadThrowSeen_; // threads reported as destroyed by an exception
  void threadLost(const State& st, const std::string& key, const ThreadState& t, model::Loc loc,
                  ThreadLoss loss, const std::string& what);
  void threadLaunch(const ThreadState& t, bool detached, model::Loc loc);
  // A guard parameter we know nothing about yet: its mutex is the caller's business, but what
  // this function does to its ownership goes into the summary.
  bool adoptParamGuard(State& st, const std::string& guard, bool owns) {
    if (st.guards.count(guard) || guard.empty() || guard[0] != 'P')
      return false;
    GuardState g;
    g.owns = owns;
    st.guards[guard] = g;
    paramGuards_.insert(guard);
    return true;
  }
  void markTryFailed(State& st, const ObjRef& ref, model::Loc loc) {
    auto it = st.locks.find(ref.key);
    if (it != st.locks.end() && it->second.status == Status::Held)
      return;
    LockState ls;
    ls.status = Status::NotHeld;
    ls.at = loc;
    ls.reason = NotHeldReason::TryFailed;
    ls.trailMark = st.trail.size();
    st.locks[ref.key] = std::move(ls);
  }

  // Values.
  std::string resolveAtom(const State& st, const std::string& atom) const;
  std::optional<int64_t> evaluate(const State& st, const Value& v) const;
  bool assume(State& st, const Value& cond, bool truth) const;
  void forget(State& st, const std::string& var) const;
  void addFact(State& st, const std::string& atom, Literal lit) const;
  void lockResultLearned(State& st, const std::string& atom) const;
  bool unlockResultLearned(State& st, const std::string& atom) const;

  void observe(Observation obs);
  std::vector<PathNote> notesFor(const State& st, const LockState* ls, const ObjRef& ref) const;
  void addTrail(State& st, model::Loc loc, std::string msg) const {
    if (st.trail.size() >= kMaxTrail)
      return;
    st.trail.push_back({loc, std::move(msg)});
  }
  std::optional<ObjRef> mapToCaller(const State& st, const Event& call, const ObjRef& calleeRef);
  const ObjRef& refFor(const std::string& key) const;
  void recordRef(const ObjRef& ref) { refs_.try_emplace(ref.key, ref); }

  // The callee's summary, for this call's constant arguments where they matter.
  const Summary* summaryFor(const Event& ev) const {
    if (specialised_ && !ev.argConsts.empty())
      if (const Summary* s = specialised_(ev))
        return s;
    auto it = sums_.find(ev.callee);
    return it == sums_.end() ? nullptr : &it->second;
  }

  const model::FunctionModel& fn_;
  const SummaryTable& sums_;
  const InitFacts& inits_;
  std::vector<Observation>* out_;
  const SpecialisedSummary& specialised_;
  const EntryFacts& entry_;

  std::vector<std::unordered_set<std::string>> seen_;
  // Variables this function only ever assigns constants (a pass counter, a done flag): they take
  // few values, so widening can keep what the path knows of them.
  std::set<std::string> flagVars_;
  std::deque<std::pair<unsigned, State>> work_;
  size_t steps_ = 0;
  bool gaveUp_ = false;
  std::vector<ExitRecord> exits_;
  std::set<std::string> exitSeen_;
  std::map<std::string, ObjRef> refs_;
  std::map<std::string, model::Recursion> localInit_;
  std::set<std::tuple<int, model::Loc, std::string>> observed_;
  std::map<std::pair<std::string, model::Loc>, size_t> throwSeen_; // HeldAtThrow -> index in out_
  Summary summary_;
  std::set<std::string> insideSeen_, releasedSeen_;
  std::set<std::string> paramGuards_; // guards received by reference, first touched here
  std::set<std::string> coAcquired_;  // taken together by std::lock / scoped_lock: unordered
  std::set<std::tuple<model::Loc, std::string, std::string>> observedEdges_;
  std::set<std::string> acquiredSeen_; // Acquired observations made
  bool sawNoReturn_ = false;
};

const ObjRef& Analyzer::refFor(const std::string& key) const {
  static const ObjRef empty;
  auto it = refs_.find(key);
  return it == refs_.end() ? empty : it->second;
}

std::string Analyzer::resolveKey(const State& st, const std::string& key) const {
  std::string k = key;
  for (int round = 0; round < 8 && !st.binds.empty(); ++round) {
    bool changed = false;
    for (size_t pos = k.find('*'); pos != std::string::npos; pos = k.find('*', pos + 1)) {
      auto it = st.binds.find(k.substr(0, pos + 1));
      if (it != st.binds.end()) {
        k = it->second + k.substr(pos + 1);
        changed = true;
        break;
      }
    }
    if (!changed)
      break;
  }
  return k;
}

ObjRef Analyzer::resolve(const State& st, const ObjRef& ref) {
  if (!ref.valid())
    return ref;
  std::string k = resolveKey(st, ref.key);
  if (k == ref.key) {
    recordRef(ref);
    return ref;
  }
  ObjRef out = ref;
  out.key = k;
  const ObjRef& target = refFor(k);
  if (target.valid()) {
    out.display = target.display;
    out.declKey = target.declKey;
    out.orderKey = target.orderKey;
    out.precise = ref.precise && target.precise;
  }
  out.local = isLocalKey(k);
  out.staticLocal = isStaticLocalKey(k);
  if (k.rfind("X:", 0) == 0)
    out.precise = false;
  recordRef(out);
  return out;
}

model::Recursion Analyzer::recursionOf(const ObjRef& ref) const {
  model::Recursion r = ref.recursion;
  auto worst = [&](model::Recursion o) {
    if (o == model::Recursion::Yes || (o == model::Recursion::Maybe && r == model::Recursion::No))
      r = o;
  };
  if (!ref.declKey.empty())
    if (auto it = inits_.find(ref.declKey); it != inits_.end())
      worst(it->second);
  if (auto it = localInit_.find(ref.key); it != localInit_.end())
    worst(it->second);
  return r;
}

Status Analyzer::statusOf(const State& st, const ObjRef& ref, bool& known) const {
  auto it = st.locks.find(ref.key);
  if (it != st.locks.end()) {
    known = true;
    return it->second.status;
  }
  known = ref.local; // a local mutex starts unlocked; anything else may be held by a caller
  return Status::NotHeld;
}

void Analyzer::observe(Observation obs) {
  if (!out_)
    return;
  obs.function = &fn_;
  if (obs.kind == ObservationKind::HeldAtThrow) {
    // One finding per lock and acquisition: every throwing call in the scope of one lock() is the
    // same mistake, fixed by one guard. The first throw point in the source stands for all.
    auto [it, inserted] = throwSeen_.try_emplace({obs.lock.key, obs.previous}, out_->size());
    if (inserted)
      out_->push_back(std::move(obs));
    else if (obs.loc < (*out_)[it->second].loc)
      (*out_)[it->second] = std::move(obs);
    return;
  }
  auto key = std::make_tuple(static_cast<int>(obs.kind), obs.loc, obs.lock.key);
  if (!observed_.insert(key).second)
    return;
  out_->push_back(std::move(obs));
}

std::vector<PathNote> Analyzer::notesFor(const State& st, const LockState* ls,
                                         const ObjRef& ref) const {
  std::vector<PathNote> notes;
  size_t from = 0;
  if (ls) {
    if (ls->how.empty() && ls->at.valid())
      notes.push_back({ls->at, quote(ref.display) + " acquired here"});
    notes.insert(notes.end(), ls->how.begin(), ls->how.end());
    from = ls->trailMark;
  }
  for (size_t i = from; i < st.trail.size(); ++i)
    notes.push_back(st.trail[i]);
  return notes;
}

void Analyzer::orderEdges(const State& st, const ObjRef& ref, model::Loc loc,
                          const std::vector<PathNote>& how) {
  if (!out_ || !ref.precise)
    return;
  for (const auto& [key, ls] : st.locks) {
    if (ls.status != Status::Held || key == ref.key || coAcquired_.count(key))
      continue;
    const ObjRef& held = refFor(key);
    if (!held.valid() || !held.precise)
      continue;
    Observation o{ObservationKind::LockOrder};
    o.loc = loc;
    o.lock = ref;
    o.other = held;
    o.otherAt = ls.at;
    // The other locks held across this edge: a lock held across every edge of a cycle (a gate)
    // lets one thread at a time into the cycle, which cannot deadlock then. A gate must be one
    // object wherever the edge is taken: a global or static, or a member of the object both
    // locks of the edge are members of (a table's resize mutex around its index and data locks).
    auto owner = [](const std::string& k) {
      size_t dot = k.rfind('.');
      return dot == std::string::npos ? std::string() : k.substr(0, dot);
    };
    std::string heldSet;
    for (const auto& [k, l] : st.locks)
      if (l.status == Status::Held && k != key && k != ref.key)
        if (const ObjRef& g = refFor(k);
            g.valid() && g.precise &&
            (((k.rfind("G:", 0) == 0 || k.rfind("S:", 0) == 0) &&
              k.find('*') == std::string::npos) ||
             (!owner(k).empty() && owner(k) == owner(key) && owner(k) == owner(ref.key)))) {
          o.held.push_back(g);
          heldSet += k + ";";
        }
    if (!observedEdges_.insert(std::make_tuple(loc, ref.key, key + "|" + heldSet)).second)
      continue;
    o.notes = notesFor(st, &ls, held);
    o.notes.insert(o.notes.end(), how.begin(), how.end());
    o.notes.push_back(
        {loc, quote(ref.display) + " acquired here while " + quote(held.display) + " is held"});
    o.function = &fn_;
    out_->push_back(std::move(o));
  }
}

void Analyzer::waitedFor(const ObjRef& ref, model::Loc loc) {
  if (!out_ || !ref.valid() || ref.local || !acquiredSeen_.insert(ref.key).second)
    return;
  Observation o{ObservationKind::Acquired};
  o.loc = loc;
  o.lock = ref;
  observe(std::move(o));
}

void Analyzer::acquire(State& st, const ObjRef& ref, model::LockMode mode, bool guarded,
                       model::Loc loc, std::vector<PathNote> how, bool reportDouble, bool isTry) {
  if (!isTry)
    waitedFor(ref, loc);
  bool known = false;
  Status s = statusOf(st, ref, known);
  auto it = st.locks.find(ref.key);
  if (known && s == Status::Held) {
    LockState& ls = it->second;
    model::Recursion rec = recursionOf(ref);
    bool bothShared = ls.mode == model::LockMode::Shared && mode == model::LockMode::Shared;
    if (rec == model::Recursion::No && ref.precise && !bothShared && reportDouble) {
      Observation o{ObservationKind::DoubleLock};
      o.loc = loc;
      o.lock = ref;
      o.previous = ls.at;
      o.notes = notesFor(st, &ls, ref);
      o.notes.insert(o.notes.end(), how.begin(), how.end());
      o.sharedAgain = ls.mode != mode;
      observe(std::move(o));
    }
    // Counting the second acquisition also for non-recursive mutexes keeps the matching
    // unlock from being reported again: one mistake, one finding.
    if (ls.depth < kMaxDepth)
      ++ls.depth;
    if (guarded)
      ls.guarded = true;
    return;
  }
  if (!known && isSummarisable(ref.key) && insideSeen_.insert(ref.key).second) {
    Effect e;
    e.lock = ref;
    e.loc = loc;
    e.chain = how;
    e.mode = mode;
    e.isTry = isTry;
    summary_.locksInside.push_back(std::move(e));
  }
  if (!isTry)
    orderEdges(st, ref, loc, how);
  LockState ls;
  ls.status = Status::Held;
  ls.callersOnly = false;
  ls.depth = 1;
  ls.mode = mode;
  ls.guarded = guarded;
  ls.at = loc;
  ls.how = std::move(how);
  ls.trailMark = st.trail.size();
  st.locks[ref.key] = std::move(ls);
}

void Analyzer::release(State& st, const ObjRef& ref, model::Loc loc, bool byGuard, const Event* via,
                       bool someExits) {
  bool known = false;
  Status s = statusOf(st, ref, known);
  auto it = st.locks.find(ref.key);
  if (known && s == Status::Held) {
    LockState& ls = it->second;
    if (!dropOneHold(ls))
      return;
    ls.at = loc;
    ls.reason = NotHeldReason::Released;
    ls.how.clear();
    ls.trailMark = st.trail.size();
    return;
  }
  if (known) {
    if (ref.precise) {
      Observation o{ObservationKind::UnlockNotHeld};
      o.loc = loc;
      o.lock = ref;
      o.viaGuard = byGuard;
      if (it != st.locks.end()) {
        o.reason = it->second.reason;
        o.previous = it->second.at;
        if (it->second.at.valid())
          o.notes.push_back({it->second.at,
                             it->second.reason == NotHeldReason::Initialised
                                 ? quote(ref.display) + " initialised unlocked here"
                             : it->second.reason == NotHeldReason::TryFailed
                                 ? "assuming the try-lock of " + quote(ref.display) + " fails"
                             : it->second.reason == NotHeldReason::LockFailed
                                 ? "assuming locking " + quote(ref.display) + " failed"
                                 : quote(ref.display) + " released here"});
      } else {
        o.reason = NotHeldReason::NeverLocked;
      }
      if (via && via->kind == EventKind::Call) {
        o.viaCall = true;
        o.what = via->calleeName;
      }
      for (size_t i = it != st.locks.end() ? it->second.trailMark : 0; i < st.trail.size(); ++i)
        o.notes.push_back(st.trail[i]);
      observe(std::move(o));
    }
    return;
  }
  // Not taken in this function: the caller must hold it. That is this function's contract.
  if (isSummarisable(ref.key) && releasedSeen_.insert(ref.key).second) {
    Effect e;
    e.lock = ref;
    e.loc = loc;
    e.someExits = someExits; // through a callee that releases only while it still holds it
    summary_.releases.push_back(std::move(e));
  }
  LockState ls;
  ls.status = Status::NotHeld;
  ls.at = loc;
  ls.reason = NotHeldReason::Released;
  ls.trailMark = st.trail.size();
  ls.callersOnly = true;
  st.locks[ref.key] = std::move(ls);
}

std::string Analyzer::resolveAtom(const State& st, const std::string& atom) const {
  std::string a = atom;
  for (int i = 0; i < 4; ++i) {
    auto it = st.alias.find(a);
    if (it == st.alias.end())
      break;
    a = it->second;
  }
  return a;
}

std::optional<int64_t> Analyzer::evaluate(const State& st, const Value& v) const {
  switch (v.kind) {
  case Value::Kind::Unknown:
    return std::nullopt;
  case Value::Kind::Const:
    return v.constant;
  case Value::Kind::Atom:
  case Value::Kind::Test: {
    std::string a = resolveAtom(st, v.atom);
    std::optional<int64_t> known;
    if (a.rfind("$g:", 0) == 0) {
      auto g = st.guards.find(a.substr(3));
      if (g != st.guards.end())
        known = g->second.owns ? 1 : 0;
    } else if (a.rfind("$j:", 0) == 0) {
      auto t = st.threads.find(a.substr(3));
      if (t != st.threads.end())
        known = t->second.status == TStatus::Joinable ? 1 : 0;
    } else if (auto f = st.facts.find(a); f != st.facts.end()) {
      for (const Literal& l : f->second)
        if (l.equals)
          known = l.value;
      if (!known && v.kind == Value::Kind::Test)
        for (const Literal& l : f->second)
          if (!l.equals && l.value == v.constant)
            return v.testEquals ? 0 : 1;
    }
    if (!known)
      return std::nullopt;
    if (v.kind == Value::Kind::Atom)
      return known;
    return ((*known == v.constant) == v.testEquals) ? 1 : 0;
  }
  }
  return std::nullopt;
}

void Analyzer::addFact(State& st, const std::string& atom, Literal lit) const {
  auto& lits = st.facts[atom];
  if (lit.equals) {
    lits.clear();
    lits.push_back(lit);
    return;
  }
  for (const Literal& l : lits)
    if (l.equals || l == lit)
      return;
  lits.push_back(lit);
  std::sort(lits.begin(), lits.end());
}

bool Analyzer::assume(State& st, const Value& cond, bool truth) const {
  if (cond.kind == Value::Kind::Const)
    return (cond.constant != 0) == truth;
  if (cond.kind != Value::Kind::Test || cond.atom.empty())
    return true;
  if (std::optional<int64_t> v = evaluate(st, cond))
    return (*v != 0) == truth;
  std::string a = resolveAtom(st, cond.atom);
  if (a.rfind("$g:", 0) == 0 || a.rfind("$j:", 0) == 0)
    return true; // a guard or thread we do not track: both ways
  bool equals = cond.testEquals == truth;
  // Consistency with what is known: a != literal excludes that value.
  if (auto f = st.facts.find(a); f != st.facts.end() && equals)
    for (const Literal& l : f->second)
      if (!l.equals && l.value == cond.constant)
        return false;
  addFact(st, a, {equals, cond.constant});
  lockResultLearned(st, a);
  return unlockResultLearned(st, a);
}

void Analyzer::lockResultLearned(State& st, const std::string& atom) const {
  auto it = st.lockResults.find(atom);
  if (it == st.lockResults.end())
    return;
  bool failed = false, succeeded = false;
  for (const Literal& l : st.facts[atom]) {
    failed |= (l.equals && l.value != 0) || (!l.equals && l.value == 0);
    succeeded |= l.equals && l.value == 0;
  }
  if (failed)
    for (const std::string& key : it->second)
      if (auto l = st.locks.find(key);
          l != st.locks.end() && l->second.status == Status::Held && dropOneHold(l->second)) {
        l->second.reason = NotHeldReason::LockFailed;
        l->second.trailMark = st.trail.size();
      }
  if (failed || succeeded)
    st.lockResults.erase(it);
}

// POSIX lets pthread_mutex_unlock fail only when the thread does not own the mutex (EPERM): a
// path on which an unlock of a lock this thread holds fails is not a path the program takes. The
// retry loops around it (`do ret = unlock(m); while (ret == EINTR);`) go round once.
bool Analyzer::unlockResultLearned(State& st, const std::string& atom) const {
  auto it = st.unlockResults.find(atom);
  if (it == st.unlockResults.end())
    return true;
  bool failed = false, succeeded = false;
  for (const Literal& l : st.facts[atom]) {
    failed |= (l.equals && l.value != 0) || (!l.equals && l.value == 0);
    succeeded |= l.equals && l.value == 0;
  }
  bool feasible = true;
  if (failed)
    for (const auto& [key, heldBefore] : it->second)
      feasible &= !heldBefore;
  if (failed || succeeded)
    st.unlockResults.erase(it);
  return feasible;
}

void Analyzer::forget(State& st, const std::string& var) const {
  st.alias.erase(var);
  for (auto it = st.facts.begin(); it != st.facts.end();) {
    bool depends = it->first == var;
    if (!depends)
      if (auto v = fn_.atomVars.find(it->first); v != fn_.atomVars.end())
        depends = std::find(v->second.begin(), v->second.end(), var) != v->second.end();
    it = depends ? st.facts.erase(it) : std::next(it);
  }
}

// The way from a throw to a handler of its try: the guards and objects built inside that try are
// destroyed, releasing (or retaking) what their destructors do.
std::vector<State> Analyzer::unwindTo(State st, const Event& thrower) {
  for (auto it = st.guards.begin(); it != st.guards.end();) {
    if (it->second.tryHandlers != thrower.handlers) {
      ++it;
      continue;
    }
    if (it->second.owns)
      for (const std::string& k : it->second.keys)
        if (auto l = st.locks.find(k);
            l != st.locks.end() && l->second.status == Status::Held && dropOneHold(l->second)) {
          l->second.reason = NotHeldReason::Released;
          l->second.at = thrower.loc;
        }
    it = st.guards.erase(it);
  }
  std::vector<UnwindObject> objects;
  for (auto it = st.unwind.begin(); it != st.unwind.end();) {
    if (it->second.tryHandlers == thrower.handlers) {
      objects.push_back(std::move(it->second));
      st.userGuards.erase(it->first);
      it = st.unwind.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<State> states{std::move(st)};
  for (const UnwindObject& o : objects) {
    Event dtor{EventKind::Call};
    dtor.loc = thrower.loc;
    dtor.callee = o.dtor;
    dtor.calleeName = o.dtorName;
    dtor.thisArg = o.object;
    std::vector<State> next;
    for (State& s : states)
      applyCall(dtor, s, next);
    states = std::move(next);
  }
  return states;
}

void Analyzer::throwPoint(const State& st, const Event& ev, bool explicitThrow, bool mayThrow) {
  if (!mayThrow)
    return;
  // What a thread's entry needs to know: does an exception really leave this function?
  // Only catch (...) stops everything; a catch of std::exception stops what the library throws.
  bool escapes = !ev.inTry || (!ev.catchAll && (explicitThrow || !ev.catchStd));
  const Summary* callee = nullptr;
  if (!explicitThrow && !ev.callee.empty())
    callee = summaryFor(ev);
  if (escapes && !summary_.throws) {
    if (explicitThrow || ev.knownThrowing) {
      Effect e;
      e.loc = ev.loc;
      e.lock.display = explicitThrow ? "throw" : ev.calleeName;
      summary_.throws = std::move(e);
    } else if (callee && callee->throws && (!ev.inTry || !ev.catchAll)) {
      Effect e = *callee->throws;
      e.chain.insert(e.chain.begin(), {ev.loc, "calling " + quote(ev.calleeName)});
      summary_.throws = std::move(e);
    }
  }
  if (ev.inTry) {
    for (unsigned h : ev.handlers) {
      // The try's edge to the exit is an exception no handler matched. Leaving by it is not
      // falling off the end, and whether a handler matches is beyond what the model knows.
      if (h == fn_.exit)
        continue;
      State copy = st;
      if (ev.loc.valid())
        addTrail(copy, ev.loc,
                 explicitThrow ? "exception thrown here" : "assuming " + quote(ev.calleeName) + " throws");
      for (State& unwound : unwindTo(std::move(copy), ev))
        push(static_cast<int>(h), std::move(unwound));
    }
    return;
  }
  if (fn_.noexceptSpec || !fn_.exceptionsEnabled)
    return;
  summary_.mayThrow = true;
  // A lock left held by an exception is reported only where an exception is really on the way:
  // a throw expression, a library call documented to throw in normal use (std::stoi, .at(), ...),
  // or a callee whose summary has a throw escaping it. Calls that could throw only by running out
  // of memory, and declarations whose bodies are not seen, are not evidence of one.
  bool reallyThrows = explicitThrow || ev.knownThrowing || (callee && callee->throws);
  auto releasedByUserGuard = [&](const std::string& key) {
    for (const auto& [guard, keys] : st.userGuards)
      if (std::find(keys.begin(), keys.end(), key) != keys.end())
        return true;
    return false;
  };
  for (const auto& [key, ls] : st.locks) {
    // A lock the caller held on entry (this function dropped and retook it) is the caller's to
    // release when the exception reaches it.
    if (!reallyThrows || ls.status != Status::Held || ls.guarded || releasedByUserGuard(key) ||
        releasedSeen_.count(key))
      continue;
    const ObjRef& ref = refFor(key);
    if (!ref.valid() || !ref.precise)
      continue;
    Observation o{ObservationKind::HeldAtThrow};
    o.loc = ev.loc;
    o.lock = ref;
    o.previous = ls.at;
    o.what = explicitThrow ? std::string("throw") : ev.calleeName;
    o.explicitThrow = explicitThrow;
    o.notes = notesFor(st, &ls, ref);
    if (!explicitThrow && !ev.knownThrowing && callee && callee->throws) {
      o.notes.push_back({ev.loc, "calling " + quote(ev.calleeName)});
      o.notes.insert(o.notes.end(), callee->throws->chain.begin(), callee->throws->chain.end());
      o.notes.push_back({callee->throws->loc, callee->throws->lock.display == "throw"
                                                  ? std::string("exception thrown here")
                                                  : quote(callee->throws->lock.display) +
                                                        " can throw here"});
    }
    observe(std::move(o));
  }
  // Unwinding destroys local std::thread objects: a joinable one calls std::terminate. Only where
  // an exception is really on its way (as for locks), and once per thread.
  if (!reallyThrows)
    return;
  for (const auto& [key, t] : st.threads)
    if (t.status == TStatus::Joinable && !t.autoJoin && !t.handle &&
        (isLocalKey(key) || key.rfind("$t", 0) == 0) &&
        threadThrowSeen_.insert(key + "@" + std::to_string(t.createdAt.line) + ":" +
                                std::to_string(t.createdAt.col))
            .second)
      threadLost(st, key, t, ev.loc, ThreadLoss::Exception,
                 explicitThrow ? std::string("throw") : ev.calleeName);
}

void Analyzer::blockingPoint(const State& st, std::vector<std::string> except,
                             const std::vector<std::string>& exceptGuards, const std::string& what,
                             model::Loc loc, const std::vector<PathNote>& chain, bool viaCall,
                             bool sleep) {
  std::vector<std::string> callerGuards;
  for (const std::string& g : exceptGuards) {
    auto it = st.guards.find(g);
    if (it != st.guards.end() && !it->second.keys.empty())
      except.insert(except.end(), it->second.keys.begin(), it->second.keys.end());
    else if (isSummarisable(g))
      callerGuards.push_back(g); // a guard parameter: its mutex is known at the call
  }
  // The caller's locks that this function has dropped (and may take back later) are not held
  // while it blocks: a wait wrapper that unlocks the caller's lock around the real wait.
  for (const auto& [key, ls] : st.locks)
    if (ls.status == Status::NotHeld && releasedSeen_.count(key) && isSummarisable(key))
      except.push_back(key);
  // So are the mutexes of guards the caller handed in and this function has unlocked
  // (condition_variable_any's wait over a caller's unique_lock).
  for (const auto& [g, gs] : st.guards)
    if (!gs.owns && gs.keys.empty() && paramGuards_.count(g) && isSummarisable(g) &&
        std::find(callerGuards.begin(), callerGuards.end(), g) == callerGuards.end())
      callerGuards.push_back(g);
  std::vector<std::string> releasedHere;
  for (const std::string& k : except)
    if (isSummarisable(k))
      releasedHere.push_back(k);
  // The summary keeps one blocking call. One that releases nothing blocks under whatever the
  // caller holds, so it wins over a wait that releases the caller's mutex.
  bool releasesNothing = releasedHere.empty() && callerGuards.empty();
  bool recordedReleases =
      summary_.blocks && (!summary_.blocksExcept.empty() || !summary_.blocksExceptGuards.empty());
  // A wait for another party says more about the function than a sleep does.
  bool overSleep = summary_.blocks && summary_.blocksBySleep && !sleep && releasesNothing;
  if (!summary_.blocks || (recordedReleases && releasesNothing) || overSleep) {
    Effect e;
    e.loc = loc;
    e.chain = chain;
    e.lock.display = what;
    summary_.blocks = std::move(e);
    summary_.blocksExcept = std::move(releasedHere);
    summary_.blocksExceptGuards = std::move(callerGuards);
    summary_.blocksBySleep = sleep;
  }
  std::vector<ObjRef> held;
  std::vector<model::Loc> heldAt;
  std::vector<std::vector<PathNote>> heldNotes;
  for (const auto& [key, ls] : st.locks) {
    if (ls.status != Status::Held)
      continue;
    if (std::find(except.begin(), except.end(), key) != except.end())
      continue;
    const ObjRef& ref = refFor(key);
    if (!ref.valid() || !ref.precise)
      continue;
    held.push_back(ref);
    heldAt.push_back(ls.at);
    heldNotes.push_back(out_ ? notesFor(st, &ls, ref) : std::vector<PathNote>{});
  }
  if (held.empty())
    return;
  Observation o{ObservationKind::BlockingUnderLock};
  o.loc = loc;
  o.lock = held.front();
  o.held = std::move(held);
  o.heldAt = std::move(heldAt);
  o.heldNotes = std::move(heldNotes);
  o.previous = o.heldAt.front();
  o.what = what;
  o.viaCall = viaCall;
  o.sleep = sleep;
  o.notes = chain;
  observe(std::move(o));
}

// A field of the callee's object or argument is, in the caller, that field of the caller's object:
// the mu_ inside the port::Mutex that is Env's mutex_ is ordered as "Env::mutex_.mu_".
static void composeOrderKey(ObjRef& out, const ObjRef& base, const std::string& rest) {
  const std::string& outer = base.orderKey.empty() ? base.declKey : base.orderKey;
  if (rest.empty() || rest[0] != '.' || outer.empty() || base.key.back() == '*')
    return;
  std::string path = rest;
  path.erase(std::remove(path.begin(), path.end(), '*'), path.end());
  out.orderKey = outer + path;
}

std::optional<ObjRef> Analyzer::mapToCaller(const State& st, const Event& call,
                                            const ObjRef& calleeRef) {
  const std::string& k = calleeRef.key;
  ObjRef out = calleeRef;
  if (k[0] == 'P') {
    size_t end = 1;
    while (end < k.size() && std::isdigit(static_cast<unsigned char>(k[end])))
      ++end;
    unsigned index = static_cast<unsigned>(std::stoul(k.substr(1, end - 1)));
    if (index >= call.args.size() || !call.args[index].valid())
      return std::nullopt;
    ObjRef arg = resolve(st, call.args[index]);
    out.key = arg.key + k.substr(end);
    std::string rest = k.substr(end);
    composeOrderKey(out, arg, rest);
    if (rest.empty()) {
      out.display = arg.display;
      // The callee locks what its pointer parameter designates: the caller's object, with its
      // declaration (whose initialisation may have made it recursive) and its kind.
      if (out.declKey.empty())
        out.declKey = arg.declKey;
      if (arg.recursion == model::Recursion::Yes ||
          (arg.recursion == model::Recursion::Maybe && out.recursion == model::Recursion::No))
        out.recursion = arg.recursion;
    } else {
      // "r->m" in the callee becomes "<arg>->m": keep the callee's spelling after the name.
      size_t sep = calleeRef.display.find_first_of(".-[");
      out.display = arg.display + (sep == std::string::npos ? rest : calleeRef.display.substr(sep));
    }
    out.precise = calleeRef.precise && arg.precise;
  } else if (k[0] == 'T') {
    if (!call.thisArg.valid())
      return std::nullopt;
    ObjRef self = resolve(st, call.thisArg);
    out.key = self.key + k.substr(1);
    composeOrderKey(out, self, k.substr(1));
    std::string shown = calleeRef.display;
    if (shown.rfind("this->", 0) == 0)
      shown = shown.substr(6);
    out.display = self.display.empty() ? shown : self.display + "." + shown;
    out.precise = calleeRef.precise && self.precise;
  } else if (k.rfind("G:", 0) != 0 && k.rfind("S:", 0) != 0) {
    return std::nullopt;
  }
  out.key = resolveKey(st, out.key);
  out.local = isLocalKey(out.key);
  out.staticLocal = isStaticLocalKey(out.key);
  if (const ObjRef& known = refFor(out.key); known.valid())
    out.display = known.display;
  recordRef(out);
  return out;
}

void Analyzer::applyCall(const Event& ev, State& st, std::vector<State>& next) {
  // A callback that releases a lock this function holds (libuv's test-async.c locks a mutex and
  // registers a prepare callback that unlocks it, run later inside uv_run): from here on the
  // lock may have been released by the code that runs the callback, so whether it is held is
  // no longer known. A guard's mutex stays the guard's.
  for (const std::string& cb : ev.callbacks) {
    auto it = sums_.find(cb);
    if (it == sums_.end())
      continue;
    for (const Effect& r : it->second.releases) {
      const std::string& k = r.lock.key;
      if (k.rfind("G:", 0) != 0 && k.rfind("S:", 0) != 0)
        continue;
      auto held = st.locks.find(k);
      if (held != st.locks.end() && held->second.status == Status::Held && !held->second.guarded)
        st.locks.erase(held);
    }
  }
  // A user type's own lock()/unlock(): the object is the lock.
  if (ev.lockableOp != Event::LockableOp::None && ev.thisArg.valid()) {
    ObjRef ref = resolve(st, ev.thisArg);
    if (ev.lockableOp == Event::LockableOp::Lock) {
      acquire(st, ref, model::LockMode::Exclusive, false, ev.loc, {});
    } else if (ev.lockableOp == Event::LockableOp::Unlock) {
      release(st, ref, ev.loc, false, nullptr);
    } else {
      State fail = st;
      fail.facts["$s" + std::to_string(ev.sym)] = {{true, 0}};
      acquire(st, ref, model::LockMode::Exclusive, false, ev.loc, {}, false, true);
      st.facts["$s" + std::to_string(ev.sym)] = {{true, 1}};
      next.push_back(std::move(fail));
    }
    next.push_back(std::move(st));
    return;
  }

  if (ev.destructor && ev.thisArg.valid()) {
    std::string key = resolve(st, ev.thisArg).key;
    st.userGuards.erase(key); // its releases are applied below
    st.unwind.erase(key);
  }

  const Summary* sum = nullptr;
  if (!ev.callee.empty())
    sum = summaryFor(ev);
  bool mayThrow = ev.mayThrow && (!sum || sum->mayThrow);
  throwPoint(st, ev, false, mayThrow);
  if (sum && sum->runsForever)
    return; // the callee never returns: nothing after this call runs
  if (!sum) {
    // Code without a body that receives a lock may lock it.
    for (const ObjRef& a : ev.args)
      if (a.valid() && !a.typeName.empty())
        waitedFor(resolve(st, a), ev.loc);
    if (!ev.resultGuard.empty())
      st.guards.erase(ev.resultGuard);
    next.push_back(std::move(st));
    return;
  }
  PathNote callNote{ev.loc, "calling " + quote(ev.calleeName)};

  if (sum->blocks) {
    auto toCaller = [&](const std::vector<std::string>& keys) {
      std::vector<std::string> out;
      for (const std::string& k : keys) {
        ObjRef r;
        r.key = k;
        if (auto m = mapToCaller(st, ev, r))
          out.push_back(m->key);
      }
      return out;
    };
    std::vector<PathNote> chain{callNote};
    chain.insert(chain.end(), sum->blocks->chain.begin(), sum->blocks->chain.end());
    chain.push_back({sum->blocks->loc, quote(sum->blocks->lock.display) + " can block here"});
    blockingPoint(st, toCaller(sum->blocksExcept), toCaller(sum->blocksExceptGuards), ev.calleeName,
                  ev.loc, chain, true, sum->blocksBySleep);
  }

  for (const Effect& e : sum->locksInside) {
    std::optional<ObjRef> ref = mapToCaller(st, ev, e.lock);
    if (!ref)
      continue;
    if (!e.isTry) {
      waitedFor(*ref, ev.loc);
      std::vector<PathNote> chain{callNote};
      chain.insert(chain.end(), e.chain.begin(), e.chain.end());
      ObjRef inner = *ref;
      orderEdges(st, inner, ev.loc, chain);
      // The edge's own note belongs inside the callee, where the lock is really taken.
      if (out_ && !out_->empty() && out_->back().kind == ObservationKind::LockOrder &&
          out_->back().loc == ev.loc)
        for (Observation& o : *out_)
          if (o.kind == ObservationKind::LockOrder && o.loc == ev.loc && o.lock.key == inner.key &&
              !o.notes.empty() && o.notes.back().loc == ev.loc)
            o.notes.back() = {e.loc, quote(ev.calleeName) + " acquires " + quote(inner.display) +
                                         " here while " + quote(o.other.display) + " is held"};
    }
    bool known = false;
    Status status = statusOf(st, *ref, known);
    if (!known && isSummarisable(ref->key) && insideSeen_.insert(ref->key).second) {
      // Taken inside a callee is taken inside this function too: a caller holding another
      // lock orders it against this one however many calls deep the acquisition is.
      Effect through = e;
      through.lock = *ref;
      through.chain.insert(through.chain.begin(), callNote);
      summary_.locksInside.push_back(std::move(through));
    }
    if (status != Status::Held || !known)
      continue;
    // The callee takes it only when it is not held (`if (!lk.owns_lock()) lk.lock();`).
    if (std::any_of(sum->acquires.begin(), sum->acquires.end(), [&](const Effect& a) {
          return a.someExits && a.lock.key == e.lock.key;
        }))
      continue;
    const LockState& ls = st.locks[ref->key];
    bool bothShared = ls.mode == model::LockMode::Shared && e.mode == model::LockMode::Shared;
    if (recursionOf(*ref) != model::Recursion::No || !ref->precise || bothShared)
      continue;
    Observation o{ObservationKind::DoubleLock};
    o.loc = ev.loc;
    o.lock = *ref;
    o.previous = ls.at;
    o.viaCall = true;
    o.what = ev.calleeName;
    o.notes = notesFor(st, &ls, *ref);
    o.notes.push_back(callNote);
    o.notes.insert(o.notes.end(), e.chain.begin(), e.chain.end());
    o.notes.push_back({e.loc, quote(ev.calleeName) + " locks " + quote(ref->display) + " here"});
    observe(std::move(o));
  }

  // Locks this call unlocks although they are not held: reported once, at the unlock; the
  // callee taking them back afterwards is not a second mistake.
  std::set<std::string> badRelease;
  for (const Effect& e : sum->releases)
    if (std::optional<ObjRef> ref = mapToCaller(st, ev, e.lock)) {
      bool known = false;
      bool held = statusOf(st, *ref, known) == Status::Held;
      if (e.someExits && !held && known)
        continue; // the callee tests whether it still holds the lock before releasing it
      if (known && !held)
        badRelease.insert(ref->key);
      release(st, *ref, ev.loc, false, &ev, e.someExits);
    }

  for (const auto& [lhs, target] : sum->binds) {
    // The pointer the callee stores into: its owner is resolved in the caller, the pointer itself
    // is not (what it designated before is what the store overwrites).
    ObjRef l;
    l.key = lhs.back() == '*' ? lhs.substr(0, lhs.size() - 1) : lhs;
    std::optional<ObjRef> ml = mapToCaller(st, ev, l);
    if (ml && lhs.back() == '*')
      ml->key += '*';
    std::optional<ObjRef> mt = mapToCaller(st, ev, target);
    if (ml && mt)
      bindPointer(st, ml->key, mt->key);
  }

  // Guards the callee locks are locked by this call; taken in one call (a std::lock over the
  // guards, typically), they are not ordered against each other.
  std::vector<std::pair<std::string, model::LockMode>> ownedByCall;
  for (const auto& [guardKey, owns] : sum->guardOwns) {
    ObjRef g;
    g.key = guardKey;
    std::optional<ObjRef> mapped = mapToCaller(st, ev, g);
    if (!mapped)
      continue;
    auto it = st.guards.find(mapped->key);
    if (it == st.guards.end() || it->second.owns == owns)
      continue;
    std::vector<std::string> keys = it->second.keys;
    it->second.owns = owns;
    for (const std::string& k : keys) {
      if (owns)
        ownedByCall.emplace_back(k, it->second.mode);
      else
        release(st, refFor(k), ev.loc, true, &ev);
    }
  }
  for (const auto& [k, mode] : ownedByCall)
    coAcquired_.insert(k);
  for (const auto& [k, mode] : ownedByCall)
    acquire(st, refFor(k), mode, true, ev.loc, {callNote});
  coAcquired_.clear();

  auto how = [&](const Effect& e, const ObjRef& ref) {
    std::vector<PathNote> h{callNote};
    h.insert(h.end(), e.chain.begin(), e.chain.end());
    h.push_back({e.loc, quote(ref.display) + " acquired here"});
    return h;
  };
  std::set<std::string> acquiredHere;
  // Locks one call takes are ordered by the callee's own analysis (where it took them one after
  // the other): here they are taken together, not ordered against each other.
  for (const Effect& e : sum->acquires)
    if (std::optional<ObjRef> ref = mapToCaller(st, ev, e.lock)) {
      bool known = false;
      if (statusOf(st, *ref, known) != Status::Held)
        coAcquired_.insert(ref->key);
    }
  for (const Effect& e : sum->acquires)
    if (std::optional<ObjRef> ref = mapToCaller(st, ev, e.lock)) {
      bool known = false;
      if (e.someExits && statusOf(st, *ref, known) == Status::Held && known)
        continue; // the callee takes the lock only where it is not held yet
      if (badRelease.count(ref->key))
        continue;
      acquire(st, *ref, e.mode, false, ev.loc, how(e, *ref), false);
      acquiredHere.insert(ref->key);
      if (e.resultTells && ev.sym >= 0)
        st.lockResults["$s" + std::to_string(ev.sym)].push_back(ref->key);
    }
  coAcquired_.clear();
  // A constructor of a local object that locks what its destructor unlocks: the object is a
  // scoped guard, whatever its class is called (googletest's and leveldb's MutexLock, ...).
  if (!ev.guardDtor.empty() && ev.thisArg.valid() && !acquiredHere.empty())
    if (auto d = sums_.find(ev.guardDtor); d != sums_.end()) {
      std::vector<std::string> covered;
      for (const Effect& e : d->second.releases)
        if (std::optional<ObjRef> ref = mapToCaller(st, ev, e.lock);
            ref && acquiredHere.count(ref->key))
          covered.push_back(ref->key);
      if (!covered.empty())
        st.userGuards[resolve(st, ev.thisArg).key] = std::move(covered);
    }
  if (!ev.guardDtor.empty() && ev.thisArg.valid() && ev.inTry)
    if (auto d = sums_.find(ev.guardDtor);
        d != sums_.end() && (!d->second.releases.empty() || !d->second.acquires.empty())) {
      ObjRef obj = resolve(st, ev.thisArg);
      st.unwind[obj.key] = {ev.guardDtor, ev.calleeName, obj, ev.handlers};
    }

  if (!ev.resultGuard.empty()) {
    st.guards.erase(ev.resultGuard);
    if (!sum->returnedGuard.empty()) {
      GuardState g;
      g.owns = true;
      for (const Effect& e : sum->returnedGuard)
        if (std::optional<ObjRef> ref = mapToCaller(st, ev, e.lock)) {
          acquire(st, *ref, e.mode, true, ev.loc, how(e, *ref), false);
          g.keys.push_back(ref->key);
        }
      st.guards[ev.resultGuard] = std::move(g);
    }
  }

  if (!sum->tryAcquires.empty() && ev.sym >= 0) {
    // The callee is a try-lock wrapper: fork on its result.
    std::string atom = "$s" + std::to_string(ev.sym);
    const Summary::TryAcquire& first = sum->tryAcquires.front();
    int64_t value = first.value;
    State fail = st;
    if (std::optional<int64_t> failValue = first.failValue)
      fail.facts[atom] = {{true, *failValue}};
    else
      fail.facts[atom] = {{false, value}};
    for (const Summary::TryAcquire& t : sum->tryAcquires)
      if (std::optional<ObjRef> ref = mapToCaller(st, ev, t.effect.lock)) {
        markTryFailed(fail, *ref, ev.loc);
        acquire(st, *ref, t.effect.mode, false, ev.loc, how(t.effect, *ref), false, true);
        st.locks[ref->key].fromTry = true;
      }
    if (first.heldUnlessFail && first.failValue)
      st.facts[atom] = {{false, *first.failValue}};
    else
      st.facts[atom] = {{true, value}};
    next.push_back(std::move(fail));
  }
  next.push_back(std::move(st));
}

void Analyzer::guardAcquire(State& st, const std::string& guard, model::Loc loc) {
  auto it = st.guards.find(guard);
  if (it == st.guards.end())
    return;
  for (const std::string& k : it->second.keys)
    acquire(st, refFor(k), it->second.mode, true, loc, {});
  st.guards[guard].owns = true;
}

// Locking a unique_lock that already owns its mutex throws resource_deadlock_would_occur: the
// same mistake as locking the mutex twice.
void Analyzer::guardRelock(const State& st, const std::string& guard, model::Loc loc) {
  auto it = st.guards.find(guard);
  if (it == st.guards.end())
    return;
  for (const std::string& k : it->second.keys) {
    const ObjRef& ref = refFor(k);
    if (!ref.precise)
      continue;
    Observation o{ObservationKind::DoubleLock};
    o.loc = loc;
    o.lock = ref;
    o.viaGuard = true;
    auto ls = st.locks.find(k);
    if (ls != st.locks.end()) {
      o.previous = ls->second.at;
      o.notes = notesFor(st, &ls->second, ref);
    }
    observe(std::move(o));
  }
}

std::vector<std::string> Analyzer::guardsToLock(const State& st, const Event& ev) {
  std::vector<std::string> out;
  for (const std::string& g : ev.guards) {
    auto it = st.guards.find(g);
    if (it == st.guards.end()) {
      if (!g.empty() && g[0] == 'P')
        out.push_back(g); // the caller's guard: what this does to it goes into the summary
      continue;
    }
    if (it->second.owns) {
      guardRelock(st, g, ev.loc);
      continue;
    }
    out.push_back(g);
  }
  return out;
}

std::vector<Analyzer::MultiLockTarget>
Analyzer::multiLockTargets(State& st, const Event& ev, const std::vector<std::string>& guards) {
  std::vector<MultiLockTarget> out;
  for (const ObjRef& r : ev.locks)
    out.push_back({resolve(st, r), ev.mode, false});
  for (const std::string& g : guards)
    if (auto it = st.guards.find(g); it != st.guards.end())
      for (const std::string& k : it->second.keys)
        out.push_back({refFor(k), it->second.mode, true});
  return out;
}

void Analyzer::ownGuards(State& st, const std::vector<std::string>& guards, bool owns) {
  for (const std::string& g : guards)
    if (!adoptParamGuard(st, g, owns))
      if (auto it = st.guards.find(g); it != st.guards.end())
        it->second.owns = owns;
}

static std::string threadDisplay(const std::string& key) {
  if (key.rfind("$t", 0) == 0)
    return "temporary std::thread";
  size_t colon = key.find(':');
  return colon == std::string::npos ? key : key.substr(colon + 1);
}

void Analyzer::threadLost(const State& st, const std::string& key, const ThreadState& t,
                          model::Loc loc, ThreadLoss loss, const std::string& what) {
  Observation o{ObservationKind::ThreadNotJoined};
  o.loc = loc;
  o.lock.key = key;
  o.lock.display = threadDisplay(key);
  o.handle = t.handle;
  o.loss = loss;
  o.what = what;
  o.entry = t.entry;
  o.previous = t.createdAt;
  if (t.createdAt.valid())
    o.notes.push_back({t.createdAt, "thread " + quote(o.lock.display) + " started here"});
  for (const PathNote& n : st.trail)
    if (!(n.loc < t.createdAt))
      o.notes.push_back(n);
  observe(std::move(o));
}

void Analyzer::threadLaunch(const ThreadState& t, bool detached, model::Loc loc) {
  if (!out_ || t.entry.empty())
    return;
  Observation o{ObservationKind::ThreadLaunch};
  o.loc = loc;
  o.entry = t.entry;
  o.what = t.entryName;
  o.detached = detached;
  o.lock.key = detached ? "detached" : "started";
  observe(std::move(o));
}

void Analyzer::applyThread(const Event& ev, State& st, std::vector<State>& next) {
  auto notJoinable = [&](const ThreadState& t, const std::string& key) {
    Observation o{ObservationKind::JoinNotJoinable};
    o.loc = ev.loc;
    o.lock.key = key;
    o.lock.display = threadDisplay(key);
    o.handle = t.handle || ev.handle;
    o.what = ev.kind == EventKind::ThreadJoin ? "join" : "detach";
    switch (t.status) {
    case TStatus::NotStarted:
      o.threadState = ThreadStateName::NotStarted;
      break;
    case TStatus::Joined:
      o.threadState = ThreadStateName::Joined;
      break;
    case TStatus::Detached:
      o.threadState = ThreadStateName::Detached;
      break;
    case TStatus::MovedFrom:
      o.threadState = ThreadStateName::MovedFrom;
      break;
    case TStatus::NotCreated:
      o.threadState = ThreadStateName::NotCreated;
      break;
    case TStatus::Joinable:
      return;
    }
    o.previous = t.at;
    if (t.at.valid())
      o.notes.push_back({t.at, o.threadState == ThreadStateName::Joined     ? "joined here"
                               : o.threadState == ThreadStateName::Detached ? "detached here"
                               : o.threadState == ThreadStateName::MovedFrom
                                   ? "moved from here"
                               : o.threadState == ThreadStateName::NotCreated
                                   ? "assuming the thread could not be created"
                                   : "constructed without a thread here"});
    for (const PathNote& n : st.trail)
      if (!(n.loc < t.at))
        o.notes.push_back(n);
    observe(std::move(o));
  };

  switch (ev.kind) {
  case EventKind::ThreadInit: {
    ThreadState t;
    t.autoJoin = ev.autoJoin;
    t.handle = ev.handle;
    t.createdAt = t.at = ev.loc;
    t.entry = ev.callee;
    t.entryName = ev.calleeName;
    t.captures = ev.captures;
    if (ev.threadMode == model::ThreadMode::Default) {
      t.status = TStatus::NotStarted;
      if (!ev.guard.empty())
        st.threads[ev.guard] = std::move(t);
      break;
    }
    if (ev.threadMode == model::ThreadMode::Move) {
      auto src = st.threads.find(ev.guard2);
      if (src == st.threads.end()) {
        st.threads.erase(ev.guard);
        break;
      }
      ThreadState moved = src->second;
      moved.autoJoin = ev.autoJoin;
      src->second.status = TStatus::MovedFrom;
      src->second.at = ev.loc;
      st.threads[ev.guard] = std::move(moved);
      break;
    }
    threadLaunch(t, ev.detached, ev.loc);
    if (!ev.guard.empty()) {
      auto old = st.threads.find(ev.guard);
      if (old != st.threads.end() && old->second.status == TStatus::Joinable && ev.handle)
        threadLost(st, ev.guard, old->second, ev.loc, ThreadLoss::HandleReused, "");
    }
    if (ev.detached && !t.captures.empty()) {
      Observation o{ObservationKind::DetachedCapture};
      o.loc = ev.loc;
      o.lock.key = ev.guard;
      o.lock.display = threadDisplay(ev.guard);
      o.handle = ev.handle;
      for (const model::Capture& c : t.captures)
        o.notes.push_back({c.loc, c.what});
      o.notes.push_back({ev.loc, "the thread is created detached here"});
      observe(std::move(o));
    }
    t.status = ev.detached ? TStatus::Detached : TStatus::Joinable;
    if (ev.sym >= 0) {
      // pthread_create and thrd_create can fail: the handle is then not a thread at all.
      std::string atom = "$s" + std::to_string(ev.sym);
      State fail = st;
      ThreadState ft = t;
      ft.status = TStatus::NotCreated;
      if (!ev.guard.empty())
        fail.threads[ev.guard] = ft;
      fail.facts[atom] = {{false, ev.successValue}};
      next.push_back(std::move(fail));
      st.facts[atom] = {{true, ev.successValue}};
    }
    if (!ev.guard.empty())
      st.threads[ev.guard] = std::move(t);
    break;
  }
  case EventKind::ThreadJoin:
  case EventKind::ThreadDetach: {
    if (ev.self) {
      Observation o{ObservationKind::JoinNotJoinable};
      o.loc = ev.loc;
      o.threadState = ThreadStateName::Self;
      o.what = ev.kind == EventKind::ThreadJoin ? "join" : "detach";
      o.handle = true;
      if (ev.kind == EventKind::ThreadJoin)
        observe(std::move(o));
      break;
    }
    auto it = st.threads.find(ev.guard);
    if (it == st.threads.end())
      break;
    ThreadState& t = it->second;
    if (t.status != TStatus::Joinable) {
      notJoinable(t, ev.guard);
      break;
    }
    if (ev.kind == EventKind::ThreadJoin) {
      t.status = TStatus::Joined;
    } else {
      t.status = TStatus::Detached;
      threadLaunch(t, true, t.createdAt);
      if (!t.captures.empty()) {
        Observation o{ObservationKind::DetachedCapture};
        o.loc = t.createdAt;
        o.lock.key = ev.guard;
        o.lock.display = threadDisplay(ev.guard);
        o.handle = t.handle;
        for (const model::Capture& c : t.captures)
          o.notes.push_back({c.loc, c.what});
        o.notes.push_back({ev.loc, "the thread is detached here"});
        observe(std::move(o));
      }
    }
    t.at = ev.loc;
    break;
  }
  case EventKind::ThreadMove: {
    auto dst = st.threads.find(ev.guard);
    if (dst != st.threads.end() && dst->second.status == TStatus::Joinable && !ev.autoJoin &&
        !dst->second.handle)
      threadLost(st, ev.guard, dst->second, ev.loc, ThreadLoss::MoveAssign, "");
    auto src = st.threads.find(ev.guard2);
    if (src == st.threads.end()) {
      st.threads.erase(ev.guard);
      break;
    }
    ThreadState moved = src->second;
    src->second.status = TStatus::MovedFrom;
    src->second.at = ev.loc;
    moved.at = ev.loc;
    if (!ev.guard.empty()) // pool[i] = ...: a thread we do not track by name
      st.threads[ev.guard] = std::move(moved);
    break;
  }
  case EventKind::ThreadEnd: {
    auto it = st.threads.find(ev.guard);
    if (it == st.threads.end())
      break;
    if (it->second.status == TStatus::Joinable && !it->second.autoJoin && !ev.autoJoin)
      threadLost(st, ev.guard, it->second, ev.loc,
                 ev.guard.rfind("$t", 0) == 0 ? ThreadLoss::Temporary : ThreadLoss::ScopeEnd, "");
    st.threads.erase(it);
    break;
  }
  case EventKind::ThreadEscape: {
    auto it = st.threads.find(ev.guard);
    if (it == st.threads.end())
      break;
    if (ev.moved) {
      it->second.status = TStatus::MovedFrom;
      it->second.at = ev.loc;
    } else {
      st.threads.erase(it);
    }
    break;
  }
  default:
    break;
  }
  next.push_back(std::move(st));
}

void Analyzer::apply(const Event& ev, State& st, std::vector<State>& next) {
  switch (ev.kind) {
  case EventKind::Lock: {
    std::vector<std::string> guards = guardsToLock(st, ev);
    std::vector<MultiLockTarget> targets = multiLockTargets(st, ev, guards);
    for (const MultiLockTarget& t : targets)
      coAcquired_.insert(t.ref.key);
    for (const MultiLockTarget& t : targets)
      acquire(st, t.ref, t.mode, t.guarded, ev.loc, {});
    coAcquired_.clear();
    ownGuards(st, guards, true);
    if (ev.sym >= 0) {
      std::string atom = "$s" + std::to_string(ev.sym);
      forget(st, atom); // a new call, a new result (a retry loop calls it again)
      std::vector<std::string>& keys = st.lockResults[atom];
      keys.clear();
      for (const MultiLockTarget& t : targets)
        keys.push_back(t.ref.key);
    }
    break;
  }
  case EventKind::TryLock: {
    std::string atom = "$s" + std::to_string(ev.sym);
    std::vector<std::string> guards = guardsToLock(st, ev);
    std::vector<MultiLockTarget> targets = multiLockTargets(st, ev, guards);
    State fail = st;
    bool boolean = ev.successValue == 1;
    fail.facts[atom] = {boolean ? Literal{true, 0} : Literal{false, ev.successValue}};
    for (const MultiLockTarget& t : targets)
      markTryFailed(fail, t.ref, ev.loc);
    ownGuards(fail, guards, false);
    next.push_back(std::move(fail));
    bool anyHeld = false;
    for (const MultiLockTarget& t : targets) {
      bool known = false;
      anyHeld |= statusOf(st, t.ref, known) == Status::Held && known &&
                 recursionOf(t.ref) == model::Recursion::No;
    }
    if (anyHeld)
      return; // try_lock of a mutex this thread holds fails (or is undefined): no success path
    for (const MultiLockTarget& t : targets) {
      acquire(st, t.ref, t.mode, t.guarded, ev.loc, {}, false, true);
      st.locks[t.ref.key].fromTry = true;
    }
    ownGuards(st, guards, true);
    st.facts[atom] = {{true, ev.successValue}};
    break;
  }
  case EventKind::Unlock: {
    std::vector<std::pair<std::string, bool>> before;
    for (const ObjRef& r : ev.locks) {
      ObjRef ref = resolve(st, r);
      if (ev.sym >= 0) {
        auto l = st.locks.find(ref.key);
        // Not tracked yet: the caller's lock, which it holds for this unlock to be right.
        before.emplace_back(ref.key, l == st.locks.end() || l->second.status == Status::Held);
      }
      release(st, ref, ev.loc, false, nullptr);
    }
    if (ev.sym >= 0) {
      std::string atom = "$s" + std::to_string(ev.sym);
      forget(st, atom); // a new call, a new result (a retry loop calls it again)
      st.unlockResults[atom] = std::move(before);
    }
    break;
  }
  case EventKind::GuardInit: {
    GuardState g;
    g.mode = ev.mode;
    for (const ObjRef& r : ev.locks)
      g.keys.push_back(resolve(st, r).key);
    switch (ev.guardMode) {
    case model::GuardMode::Acquire:
      coAcquired_.insert(g.keys.begin(), g.keys.end());
      for (const std::string& k : g.keys)
        acquire(st, refFor(k), ev.mode, true, ev.loc, {});
      coAcquired_.clear();
      g.owns = !g.keys.empty();
      break;
    case model::GuardMode::Defer:
      break;
    case model::GuardMode::Adopt: {
      g.owns = true;
      for (const std::string& k : g.keys) {
        const ObjRef& ref = refFor(k);
        bool known = false;
        Status s = statusOf(st, ref, known);
        if (known && s == Status::Held) {
          st.locks[k].guarded = true;
        } else if (known && ref.precise) {
          Observation o{ObservationKind::UnlockNotHeld};
          o.loc = ev.loc;
          o.lock = ref;
          o.reason = NotHeldReason::AdoptedNotHeld;
          o.viaGuard = true;
          auto it = st.locks.find(k);
          if (it != st.locks.end() && it->second.at.valid()) {
            o.previous = it->second.at;
            o.notes.push_back({it->second.at, quote(ref.display) + " released here"});
          }
          observe(std::move(o));
          g.owns = false;
        }
        // Unknown: the caller's lock, adopted; releasing it later is this function's contract.
      }
      break;
    }
    case model::GuardMode::Try: {
      std::string atom = "$s" + std::to_string(ev.sym);
      State fail = st;
      GuardState fg = g;
      fg.owns = false;
      fail.guards[ev.guard] = fg;
      fail.facts[atom] = {{true, 0}};
      next.push_back(std::move(fail));
      for (const std::string& k : g.keys)
        acquire(st, refFor(k), ev.mode, true, ev.loc, {}, false, true);
      g.owns = true;
      st.facts[atom] = {{true, 1}};
      break;
    }
    }
    g.tryHandlers = ev.handlers;
    st.guards[ev.guard] = std::move(g);
    break;
  }
  case EventKind::GuardLock: {
    if (adoptParamGuard(st, ev.guard, true))
      break;
    auto it = st.guards.find(ev.guard);
    if (it == st.guards.end())
      break;
    if (it->second.owns) {
      guardRelock(st, ev.guard, ev.loc);
      break;
    }
    guardAcquire(st, ev.guard, ev.loc);
    break;
  }
  case EventKind::GuardTryLock: {
    auto it = st.guards.find(ev.guard);
    if (it == st.guards.end() || it->second.owns)
      break;
    std::string atom = "$s" + std::to_string(ev.sym);
    State fail = st;
    fail.facts[atom] = {{true, 0}};
    next.push_back(std::move(fail));
    for (const std::string& k : st.guards[ev.guard].keys)
      acquire(st, refFor(k), st.guards[ev.guard].mode, true, ev.loc, {}, false, true);
    st.guards[ev.guard].owns = true;
    st.facts[atom] = {{true, 1}};
    break;
  }
  case EventKind::GuardUnlock: {
    if (adoptParamGuard(st, ev.guard, false))
      break;
    auto it = st.guards.find(ev.guard);
    if (it == st.guards.end())
      break;
    if (!it->second.owns) {
      if (!it->second.keys.empty() || true) {
        Observation o{ObservationKind::UnlockNotHeld};
        o.loc = ev.loc;
        o.reason = NotHeldReason::GuardNotOwning;
        o.viaGuard = true;
        if (!it->second.keys.empty())
          o.lock = refFor(it->second.keys.front());
        o.lock.display = o.lock.display.empty() ? ev.guard.substr(ev.guard.find(':') + 1)
                                                : o.lock.display;
        o.what = ev.guard.substr(ev.guard.find(':') + 1);
        for (const PathNote& n : st.trail)
          o.notes.push_back(n);
        observe(std::move(o));
      }
      break;
    }
    std::vector<std::string> keys = it->second.keys;
    it->second.owns = false;
    for (const std::string& k : keys)
      release(st, refFor(k), ev.loc, true, nullptr);
    break;
  }
  case EventKind::GuardRelease: {
    auto it = st.guards.find(ev.guard);
    if (it == st.guards.end())
      break;
    if (it->second.owns)
      for (const std::string& k : it->second.keys)
        if (auto ls = st.locks.find(k); ls != st.locks.end())
          ls->second.guarded = false;
    it->second.owns = false;
    it->second.keys.clear();
    break;
  }
  case EventKind::GuardMove: {
    auto dst = st.guards.find(ev.guard);
    if (dst != st.guards.end() && dst->second.owns) {
      std::vector<std::string> keys = dst->second.keys;
      dst->second.owns = false;
      for (const std::string& k : keys)
        release(st, refFor(k), ev.loc, true, nullptr);
    }
    auto src = st.guards.find(ev.guard2);
    if (src == st.guards.end()) {
      st.guards.erase(ev.guard);
      break;
    }
    GuardState moved = src->second;
    src->second.owns = false;
    src->second.keys.clear();
    st.guards[ev.guard] = std::move(moved);
    break;
  }
  case EventKind::GuardEnd: {
    auto it = st.guards.find(ev.guard);
    if (it == st.guards.end())
      break;
    GuardState g = std::move(it->second);
    st.guards.erase(it);
    if (g.owns)
      for (const std::string& k : g.keys)
        release(st, refFor(k), ev.loc, true, nullptr);
    break;
  }
  case EventKind::Call:
    applyCall(ev, st, next);
    return;
  case EventKind::ThreadInit:
  case EventKind::ThreadJoin:
  case EventKind::ThreadDetach:
  case EventKind::ThreadMove:
  case EventKind::ThreadEnd:
  case EventKind::ThreadEscape:
    applyThread(ev, st, next);
    return;
  case EventKind::Throw:
    throwPoint(st, ev, true, true);
    return; // the path leaves by exception
  case EventKind::Blocking: {
    std::vector<std::string> except;
    for (const ObjRef& r : ev.locks)
      except.push_back(resolve(st, r).key);
    std::vector<std::string> exceptGuards;
    if (!ev.releasedGuard.empty())
      exceptGuards.push_back(ev.releasedGuard);
    blockingPoint(st, std::move(except), exceptGuards, ev.what, ev.loc, {}, false, ev.sleep);
    break;
  }
  case EventKind::Destroy: {
    std::vector<ObjRef> dying;
    for (const ObjRef& r : ev.locks)
      dying.push_back(resolve(st, r));
    if (!ev.var.empty()) {
      // A local object dies with every mutex inside it.
      for (const auto& [key, ls] : st.locks)
        if (key.rfind(ev.var + ".", 0) == 0 && key.find('*') == std::string::npos)
          dying.push_back(refFor(key));
    }
    for (const ObjRef& ref : dying) {
      if (!ref.valid())
        continue;
      auto it = st.locks.find(ref.key);
      if (it != st.locks.end() && it->second.status == Status::Held && ref.precise) {
        Observation o{ObservationKind::DestroyedHeld};
        o.loc = ev.loc;
        o.lock = ref;
        o.previous = it->second.at;
        o.guardStillOwns = it->second.guarded;
        o.notes = notesFor(st, &it->second, ref);
        if (!it->second.guarded && ev.what == "function end") {
          // Locked by hand and never unlocked before it died: also a lock left held.
          Observation leak = o;
          leak.kind = ObservationKind::HeldAtExit;
          leak.fellOffEnd = false;
          observe(std::move(leak));
        }
        observe(std::move(o));
      }
      for (auto& [gk, g] : st.guards) {
        auto pos = std::find(g.keys.begin(), g.keys.end(), ref.key);
        if (pos != g.keys.end()) {
          g.keys.erase(pos);
          if (g.keys.empty())
            g.owns = false;
        }
      }
      LockState ls;
      ls.status = Status::NotHeld;
      ls.at = ev.loc;
      ls.reason = NotHeldReason::NeverLocked;
      st.locks[ref.key] = ls;
    }
    break;
  }
  case EventKind::Init:
    for (const ObjRef& r : ev.locks) {
      ObjRef ref = resolve(st, r);
      LockState ls;
      ls.status = Status::NotHeld;
      ls.at = ev.loc;
      ls.reason = NotHeldReason::Initialised;
      ls.trailMark = st.trail.size();
      st.locks[ref.key] = ls;
      if (r.recursion != model::Recursion::No)
        localInit_[ref.key] = r.recursion;
    }
    break;
  case EventKind::Dereference:
    addFact(st, ev.var, {false, 0});
    break;
  case EventKind::Assign: {
    forget(st, ev.var);
    if (ev.value.kind == Value::Kind::Const)
      addFact(st, ev.var, {true, ev.value.constant});
    else if (ev.value.kind == Value::Kind::Atom && ev.value.atom != ev.var)
      st.alias[ev.var] = resolveAtom(st, ev.value.atom);
    else if (ev.value.kind == Value::Kind::Test)
      if (std::optional<int64_t> v = evaluate(st, ev.value))
        addFact(st, ev.var, {true, *v});
    break;
  }
  case EventKind::Bind: {
    if (ev.locks.empty()) { // the pointer moved: it designates nothing the analysis can name
      for (auto it = st.binds.begin(); it != st.binds.end();)
        it = it->first.rfind(ev.var, 0) == 0 ? st.binds.erase(it) : std::next(it);
      // What was known of the locks it reached belongs to the object it designated before
      // (`for (; it != end; ++it) it->unlock();` unlocks another lock on every pass).
      for (auto it = st.locks.begin(); it != st.locks.end();)
        it = it->first.rfind(ev.var, 0) == 0 ? st.locks.erase(it) : std::next(it);
      break;
    }
    bindPointer(st, ev.var, resolve(st, ev.locks.front()).key);
    break;
  }
  case EventKind::Return: {
    st.returned = true;
    st.retLoc = ev.loc;
    st.retValue = evaluate(st, ev.value);
    if (ev.value.kind == Value::Kind::Atom)
      st.retAtom = resolveAtom(st, ev.value.atom);
    if (!ev.guard.empty())
      if (auto it = st.guards.find(ev.guard); it != st.guards.end()) {
        if (it->second.owns)
          st.retGuardKeys = it->second.keys;
        st.guards.erase(it);
      }
    break;
  }
  }
  next.push_back(std::move(st));
}

void Analyzer::push(int block, State st) {
  if (block < 0 || gaveUp_)
    return;
  if (static_cast<unsigned>(block) == fn_.exit) {
    onExit(std::move(st));
    return;
  }
  auto& seen = seen_[block];
  if (seen.size() >= kMaxStatesPerBlock) {
    // Widen: forget value facts, which is what multiplies states on long branchy code. Flags and
    // lock-call results stay: they take few values, and forgetting them makes a scoped-lock
    // macro's second pass or a failed lock's error branch look like another path.
    auto isResult = [](const std::string& atom) { return atom.rfind("$s", 0) == 0; };
    for (auto it = st.facts.begin(); it != st.facts.end();)
      it = flagVars_.count(it->first) || isResult(it->first) ? std::next(it) : st.facts.erase(it);
    for (auto it = st.alias.begin(); it != st.alias.end();)
      it = isResult(it->second) ? std::next(it) : st.alias.erase(it);
    if (seen.size() >= 2 * kMaxStatesPerBlock)
      return;
  }
  if (!seen.insert(st.signature()).second)
    return;
  work_.emplace_back(block, std::move(st));
}

void Analyzer::processBlock(unsigned index, State st) {
  const model::Block& block = fn_.blocks[index];
  std::vector<State> states{std::move(st)};
  for (const Event& ev : block.events) {
    std::vector<State> next;
    for (State& s : states)
      apply(ev, s, next);
    states = std::move(next);
    if (states.empty())
      return;
  }
  if (block.noReturn) {
    sawNoReturn_ = true;
    return;
  }
  for (State& s : states) {
    if (block.jump == model::Block::Jump::Break)
      addTrail(s, block.jumpLoc, "leaving the loop here");
    else if (block.jump == model::Block::Jump::Continue)
      addTrail(s, block.jumpLoc, "continuing with the next iteration");
    if (block.cond && block.succs.size() == 2) {
      State t = s, f = s;
      bool okT = block.succs[0] >= 0 && assume(t, *block.cond, true);
      bool okF = block.succs[1] >= 0 && assume(f, *block.cond, false);
      if (okT && okF && !block.condText.empty()) {
        addTrail(t, block.condLoc, "assuming " + quote(block.condText) + " is true");
        addTrail(f, block.condLoc, "assuming " + quote(block.condText) + " is false");
      }
      if (okT)
        push(block.succs[0], std::move(t));
      if (okF)
        push(block.succs[1], std::move(f));
      continue;
    }
    // A switch over a value the path knows enters its case only (or the default when no case
    // has the value).
    std::optional<int64_t> known;
    bool someCase = false;
    if (!block.switchAtom.empty()) {
      Value v;
      v.kind = Value::Kind::Atom;
      v.atom = block.switchAtom;
      known = evaluate(s, v);
      if (known)
        someCase = std::find(block.caseValues.begin(), block.caseValues.end(),
                             std::optional<int64_t>(*known)) != block.caseValues.end();
    }
    for (size_t i = 0; i < block.succs.size(); ++i) {
      if (block.succs[i] < 0)
        continue;
      if (block.succs[i] >= 0 && fn_.blocks[block.succs[i]].isHandler)
        continue; // handlers are entered by exception edges only
      if (known && i < block.caseValues.size() &&
          (someCase ? block.caseValues[i] != known : block.caseValues[i].has_value()))
        continue;
      if (i + 1 == block.succs.size())
        push(block.succs[i], std::move(s));
      else
        push(block.succs[i], s);
    }
  }
}

void Analyzer::onExit(State st) {
  if (!exitSeen_.insert(st.signature()).second)
    return;
  ExitRecord rec;
  rec.ret = st.retValue;
  rec.loc = st.returned ? st.retLoc : fn_.endLoc;
  rec.fellOff = !st.returned;
  rec.guardReturned.insert(st.retGuardKeys.begin(), st.retGuardKeys.end());
  for (const auto& [key, ls] : st.locks) {
    if (ls.status != Status::Held || rec.guardReturned.count(key))
      continue;
    const ObjRef& ref = refFor(key);
    if (!ref.valid() || !ref.precise)
      continue;
    if (ref.local || ref.staticLocal) {
      Observation o{ObservationKind::HeldAtExit};
      o.loc = rec.loc;
      o.lock = ref;
      o.previous = ls.at;
      o.fellOffEnd = rec.fellOff;
      o.notes = notesFor(st, &ls, ref);
      observe(std::move(o));
      continue;
    }
    rec.held.insert(key);
  }
  rec.state = std::move(st);
  exits_.push_back(std::move(rec));
}

void Analyzer::finish() {
  std::set<std::string> candidates;
  for (const ExitRecord& e : exits_)
    candidates.insert(e.held.begin(), e.held.end());
  for (const std::string& key : candidates) {
    const ObjRef& ref = refFor(key);
    // An exit where the lock call returned an error holds nothing, as a lock wrapper's caller
    // expects when it fails: it does not make the wrapper's lock conditional.
    auto lockFailed = [&](const ExitRecord& e) {
      auto l = e.state.locks.find(key);
      return l != e.state.locks.end() && l->second.status == Status::NotHeld &&
             l->second.reason == NotHeldReason::LockFailed;
    };
    bool heldAll = std::all_of(exits_.begin(), exits_.end(), [&](const ExitRecord& e) {
      return e.held.count(key) > 0 || lockFailed(e);
    });
    bool resultTells = std::all_of(exits_.begin(), exits_.end(), [&](const ExitRecord& e) {
      auto r = e.state.lockResults.find(e.state.retAtom);
      return e.held.count(key) > 0 && !e.state.retAtom.empty() && r != e.state.lockResults.end() &&
             std::find(r->second.begin(), r->second.end(), key) != r->second.end();
    });
    const LockState* anyState = nullptr;
    for (const ExitRecord& e : exits_)
      if (e.held.count(key)) {
        anyState = &e.state.locks.at(key);
        break;
      }
    auto effectFrom = [&]() {
      Effect eff;
      eff.lock = ref;
      eff.loc = anyState->at;
      eff.chain = anyState->how;
      eff.mode = anyState->mode;
      return eff;
    };
    // The caller's lock, dropped and taken back (`mu_.Unlock(); io(); mu_.Lock();`) on the exits
    // that touch it: every exit leaves it as the caller had it, held.
    bool restored = releasedSeen_.count(key) &&
                    std::all_of(exits_.begin(), exits_.end(), [&](const ExitRecord& e) {
                      return e.held.count(key) > 0 || !e.state.locks.count(key);
                    });
    // Every exit returns the result of the lock call that took the lock, 0 when it holds it, and
    // at least one of those calls blocks (`return pthread_mutex_lock(m);` next to `return
    // pthread_mutex_trylock(m);` by a mode flag, libevent's evthread_posix_lock): a lock wrapper
    // whose result tells, as pthread_mutex_lock's does. A caller that ignores the result holds
    // the lock, as after pthread_mutex_lock.
    bool lockOrTry = false;
    bool resultOnEveryExit = std::all_of(exits_.begin(), exits_.end(), [&](const ExitRecord& e) {
      auto r = e.state.lockResults.find(e.state.retAtom);
      bool returnsResult = !e.state.retAtom.empty() && r != e.state.lockResults.end() &&
                           std::find(r->second.begin(), r->second.end(), key) != r->second.end();
      if (e.held.count(key)) {
        lockOrTry |= !e.state.locks.at(key).fromTry;
        return returnsResult || (e.ret && *e.ret == 0);
      }
      auto l = e.state.locks.find(key);
      if (l == e.state.locks.end() || l->second.status != Status::NotHeld ||
          (l->second.reason != NotHeldReason::TryFailed &&
           l->second.reason != NotHeldReason::LockFailed))
        return false;
      if (e.ret)
        return *e.ret != 0;
      auto f = e.state.facts.find(e.state.retAtom);
      return !e.state.retAtom.empty() && f != e.state.facts.end() &&
             std::any_of(f->second.begin(), f->second.end(), [](const Literal& lit) {
               return lit.equals ? lit.value != 0 : lit.value == 0;
             });
    });
    if (!fn_.isMain && (heldAll || restored || (resultOnEveryExit && lockOrTry)) &&
        isSummarisable(key)) {
      Effect eff = effectFrom();
      eff.resultTells = resultTells || (resultOnEveryExit && lockOrTry);
      summary_.acquires.push_back(std::move(eff));
      continue;
    }
    if (!fn_.isMain && isSummarisable(key)) {
      // A try-lock wrapper: held exactly when it returns one value.
      std::optional<int64_t> value;
      for (const ExitRecord& e : exits_)
        if (e.held.count(key) && e.ret)
          value = e.ret;
      bool fromTry = true;
      for (const ExitRecord& e : exits_)
        if (e.held.count(key))
          fromTry &= e.state.locks.at(key).fromTry;
      // An exit that returns an unknown value the path knows is not the "held" one (`return ret;`
      // after `while (ret == EINTR)` around a failed try-lock) answers failure too.
      auto returnsOther = [&](const ExitRecord& e) {
        auto f = e.state.facts.find(e.state.retAtom);
        if (e.state.retAtom.empty() || f == e.state.facts.end())
          return false;
        return std::any_of(f->second.begin(), f->second.end(), [&](const Literal& l) {
          return l.equals ? l.value != *value : l.value == *value;
        });
      };
      bool correlated = value.has_value() &&
                        std::all_of(exits_.begin(), exits_.end(), [&](const ExitRecord& e) {
                          if (!e.ret.has_value())
                            return !e.held.count(key) && returnsOther(e);
                          return (e.held.count(key) > 0) == (*e.ret == *value);
                        });
      if (correlated) {
        std::optional<int64_t> failValue;
        bool single = true;
        for (const ExitRecord& e : exits_)
          if (!e.held.count(key) && e.ret) {
            single &= !failValue || *failValue == *e.ret;
            failValue = e.ret;
          }
        // Held only when it answers success: true, or 0 with an error code otherwise (an "enter
        // once" helper that unlocks and returns false when there is nothing to do). Held with an
        // error value (`return -1;` before the unlock) is a leak, not a protocol.
        bool success = fromTry || (fn_.returnsBool ? *value == 1
                                                   : *value == 0 && failValue && *failValue < 0);
        // A try-lock wrapper answers success or failure: one value each. Several failure values
        // (error codes) with one "held" value is an early return that forgot to unlock.
        if (single && success) {
          summary_.tryAcquires.push_back({effectFrom(), *value, failValue});
          continue;
        }
      }
      // Held on the exits that return something the path knows is not 0 (an object it checked
      // for null), not held on those returning 0, and taken by a try-lock: a try wrapper whose
      // result is an object, `if (trylock(&m) == 0) return iter; free(iter); return NULL;`.
      bool nonNullTry =
          fromTry && !value.has_value() &&
          std::any_of(exits_.begin(), exits_.end(),
                      [&](const ExitRecord& e) { return e.held.count(key) > 0; }) &&
          std::all_of(exits_.begin(), exits_.end(), [&](const ExitRecord& e) {
            if (!e.held.count(key))
              return e.ret.has_value() && *e.ret == 0;
            auto f = e.state.facts.find(e.state.retAtom);
            return !e.ret && !e.state.retAtom.empty() && f != e.state.facts.end() &&
                   std::any_of(f->second.begin(), f->second.end(),
                               [](const Literal& l) { return !l.equals && l.value == 0; });
          });
      if (nonNullTry) {
        Summary::TryAcquire t{effectFrom(), 0, int64_t{0}};
        t.heldUnlessFail = true;
        summary_.tryAcquires.push_back(std::move(t));
        continue;
      }
    }
    // Taken on some exits and never touched on the others (`if (!lk.owns_lock()) lk.lock();`,
    // `if (pool) lock(&pool->mu);`): whether it is taken depends on the caller's state, so the
    // callers judge it. They hold it after the call; one that already held it is not locking it
    // again.
    // A constructor whose try-lock failed left the lock as it was, and the object it builds
    // records whether it owns it (boost::unique_lock(m, try_to_lock)).
    // Also taken on some exits and released on the others although the caller took it: a lock
    // or unlock by a mode (memcached's pause_threads(PAUSE_ALL_THREADS) and
    // (RESUME_ALL_THREADS)); a call that passes the mode as a constant is judged for it.
    bool someExits = std::all_of(exits_.begin(), exits_.end(), [&](const ExitRecord& e) {
      auto l = e.state.locks.find(key);
      return e.held.count(key) > 0 || l == e.state.locks.end() ||
             (l->second.status == Status::NotHeld && l->second.callersOnly) ||
             (fn_.isConstructor && l->second.status == Status::NotHeld &&
              (l->second.reason == NotHeldReason::TryFailed ||
               l->second.reason == NotHeldReason::LockFailed));
    });
    if (!fn_.isMain && someExits && isSummarisable(key)) {
      Effect eff = effectFrom();
      eff.someExits = true;
      summary_.acquires.push_back(std::move(eff));
      continue;
    }
    // Among exits that hold the lock, those returning an error code (a negative constant) are
    // the leaks when others return success holding it (0, or the lock call's result): those are
    // the function's lock-wrapper exits, not mistakes.
    bool errorExits = false, successExits = false;
    // A function returning an object: NULL is its error value, an object the path checked is not
    // null its success.
    auto knownNonNull = [](const ExitRecord& e) {
      auto f = e.state.facts.find(e.state.retAtom);
      return !e.ret && !e.state.retAtom.empty() && f != e.state.facts.end() &&
             std::any_of(f->second.begin(), f->second.end(),
                         [](const Literal& l) { return !l.equals && l.value == 0; });
    };
    auto errorExit = [&](const ExitRecord& e) {
      return e.ret && (*e.ret < 0 || (fn_.returnsPointer && *e.ret == 0));
    };
    for (const ExitRecord& e : exits_)
      if (e.held.count(key)) {
        errorExits |= errorExit(e);
        successExits |= fn_.returnsPointer && knownNonNull(e);
        auto r = e.state.lockResults.find(e.state.retAtom);
        successExits |= (e.ret && *e.ret == 0) ||
                        (!e.ret && !e.state.retAtom.empty() && r != e.state.lockResults.end() &&
                         std::find(r->second.begin(), r->second.end(), key) != r->second.end());
      }
    for (const ExitRecord& e : exits_) {
      if (!e.held.count(key) || (errorExits && successExits && !errorExit(e)))
        continue;
      const LockState& ls = e.state.locks.at(key);
      if (!summary_.leaks) {
        Effect leak;
        leak.lock = ref;
        leak.loc = ls.at;
        leak.chain = ls.how;
        summary_.leaks = std::move(leak);
      }
      Observation o{ObservationKind::HeldAtExit};
      o.loc = e.loc;
      o.lock = ref;
      o.previous = ls.at;
      o.fellOffEnd = e.fellOff;
      o.notes = notesFor(e.state, &ls, ref);
      observe(std::move(o));
    }
  }
  // A release on some exits only: the other exits never touched the lock.
  for (Effect& e : summary_.releases)
    e.someExits |= std::any_of(exits_.begin(), exits_.end(), [&](const ExitRecord& x) {
      return !x.state.locks.count(e.lock.key);
    });
  for (const std::string& guard : paramGuards_) {
    std::optional<bool> owns;
    bool agree = true;
    for (const ExitRecord& e : exits_) {
      auto it = e.state.guards.find(guard);
      bool o = it != e.state.guards.end() && it->second.owns;
      agree &= !owns || *owns == o;
      owns = o;
    }
    if (owns && agree)
      summary_.guardOwns.emplace_back(guard, *owns);
  }
  // A guard returned on every path: the caller's guard will own these.
  if (!exits_.empty()) {
    std::set<std::string> common = exits_.front().guardReturned;
    for (const ExitRecord& e : exits_) {
      std::set<std::string> both;
      std::set_intersection(common.begin(), common.end(), e.guardReturned.begin(),
                            e.guardReturned.end(), std::inserter(both, both.begin()));
      common = std::move(both);
    }
    for (const std::string& key : common)
      if (isSummarisable(key)) {
        const LockState& ls = exits_.front().state.locks.at(key);
        Effect eff;
        eff.lock = refFor(key);
        eff.loc = ls.at;
        eff.chain = ls.how;
        eff.mode = ls.mode;
        summary_.returnedGuard.push_back(std::move(eff));
      }
    // Pointers and references this function stores into its object or parameters, on every exit
    // that stores them at all (`if (m.try_lock()) m_mutex = &m;` binds on success only, and the
    // other exits leave the pointer alone) and to one target.
    std::map<std::string, std::string> stored;
    std::set<std::string> conflicting;
    for (const ExitRecord& e : exits_)
      for (const auto& [lhs, target] : e.state.binds) {
        auto [it, fresh] = stored.emplace(lhs, target);
        if (!fresh && it->second != target)
          conflicting.insert(lhs);
      }
    for (const auto& [lhs, target] : stored)
      if ((lhs[0] == 'T' || lhs[0] == 'P') && !conflicting.count(lhs) && isSummarisable(target))
        summary_.binds.emplace_back(lhs, refFor(target).valid() ? refFor(target) : ObjRef{target});
  }
}

Summary Analyzer::run() {
  seen_.resize(fn_.blocks.size());
  std::set<std::string> notFlags;
  for (const model::Block& b : fn_.blocks)
    for (const Event& ev : b.events)
      if (ev.kind == EventKind::Assign)
        (ev.value.kind == Value::Kind::Const ? flagVars_ : notFlags).insert(ev.var);
  for (const std::string& v : notFlags)
    flagVars_.erase(v);
  State start;
  for (const auto& [atom, value] : entry_)
    addFact(start, atom, {true, value});
  push(static_cast<int>(fn_.entry), std::move(start));
  while (!work_.empty()) {
    if (++steps_ > kMaxSteps) {
      gaveUp_ = true;
      break;
    }
    auto [block, st] = std::move(work_.front());
    work_.pop_front();
    processBlock(block, std::move(st));
  }
  if (gaveUp_) {
    // Too many paths to be sure of anything: say nothing rather than something wrong.
    if (out_) {
      out_->erase(std::remove_if(out_->begin(), out_->end(),
                                 [&](const Observation& o) { return o.function == &fn_; }),
                  out_->end());
      Observation o{ObservationKind::GaveUp};
      o.function = &fn_;
      o.loc = fn_.loc;
      out_->push_back(std::move(o));
    }
    Summary s;
    s.mayThrow = !fn_.noexceptSpec;
    return s;
  }
  finish();
  if (fn_.noexceptSpec)
    summary_.mayThrow = false;
  summary_.runsForever = exits_.empty() && !sawNoReturn_;
  return summary_;
}

} // namespace

Summary analyzeFunction(const model::FunctionModel& fn, const SummaryTable& summaries,
                        const InitFacts& inits, std::vector<Observation>* observations,
                        const SpecialisedSummary& specialised, const EntryFacts& entry) {
  return Analyzer(fn, summaries, inits, observations, specialised, entry).run();
}

} // namespace threadcheck::checkers
