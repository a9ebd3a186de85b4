// lock-order-inversion: one path takes A then B, another takes B then A. Two threads on those
// paths each hold one lock and wait for the other forever. The order graph is built over every
// function of every translation unit (edges through calls come from summaries), and each cycle is
// reported once, with one chain of acquisitions per edge.
#include "checks/Check.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>

namespace threadcheck::checkers {
namespace {

class LockOrderInversionCheck : public ModelCheck {
public:
  std::string_view id() const override { return "lock-order-inversion"; }

  void check(const Observation& obs, std::vector<Finding>&) override {
    if (obs.kind != ObservationKind::LockOrder)
      return;
    std::string from = lockNode(obs.other), to = lockNode(obs.lock);
    if (from.empty() || to.empty())
      return;
    // The same declaration twice is only a cycle when the objects are symbolic (two parameters,
    // two elements found at run time): two concrete objects have a fixed order.
    if (from == to && obs.other.key == obs.lock.key)
      return;
    // Two objects of one declaration that the code names itself (two global pointers set at
    // start-up, two elements at constant indices) come in the order the code writes: they are
    // an inversion only where some code takes them the other way round.
    if (from == to && namedByCode(obs.other) && namedByCode(obs.lock)) {
      fixedPairs_[from].try_emplace({obs.other.key, obs.lock.key}, obs);
      return;
    }
    auto& list = edges_[{from, to}];
    if (list.size() < 4)
      list.push_back(obs);
    std::set<std::string> held;
    for (const model::ObjRef& h : obs.held)
      if (std::string n = lockNode(h); !n.empty() && n != from && n != to)
        held.insert(n);
    auto [g, fresh] = gates_.try_emplace({from, to}, held);
    if (!fresh) {
      std::set<std::string> both;
      std::set_intersection(g->second.begin(), g->second.end(), held.begin(), held.end(),
                            std::inserter(both, both.begin()));
      g->second = std::move(both);
    }
    names_.try_emplace(from, displayName(obs.other));
    names_.try_emplace(to, displayName(obs.lock));
  }

  void finish(std::vector<Finding>& out) override {
    std::map<std::string, std::set<std::string>> succ;
    for (const auto& [edge, obs] : edges_)
      succ[edge.first].insert(edge.second);

    std::set<std::string> reported;
    for (const auto& [edge, list] : edges_) {
      const std::string& a = edge.first;
      if (reported.count(a))
        continue;
      std::vector<std::string> cycle = findCycle(a, succ);
      if (cycle.empty())
        continue;
      bool seen = false;
      for (const std::string& n : cycle)
        seen |= reported.count(n) > 0;
      if (seen || gated(cycle))
        continue;
      reported.insert(cycle.begin(), cycle.end());
      report(cycle, out);
    }
    for (const auto& [node, pairs] : fixedPairs_)
      for (const auto& [pair, obs] : pairs) {
        auto back = pairs.find({pair.second, pair.first});
        if (pair.first < pair.second && back != pairs.end() && !sharesGate(obs, back->second, node))
          reportPair(obs, back->second, out);
      }
  }

private:
  static std::string displayName(const model::ObjRef& ref) {
    if (!ref.declKey.empty() && (ref.key[0] == 'P' || ref.key[0] == 'T' ||
                                 ref.key.find('*') != std::string::npos))
      return ref.orderKey.empty() ? ref.declKey : ref.orderKey;
    return ref.display;
  }

  // A lock the code designates by itself, whatever the caller passed and whatever was found at
  // run time: rooted at a global or a static local, through fields, constant indices and the
  // global pointers themselves.
  static bool namedByCode(const model::ObjRef& ref) {
    return ref.precise && (ref.key.rfind("G:", 0) == 0 || ref.key.rfind("S:", 0) == 0);
  }

  // Both orders happen under some third lock (of another declaration than theirs).
  static bool sharesGate(const Observation& a, const Observation& b, const std::string& node) {
    std::set<std::string> gates;
    for (const model::ObjRef& h : a.held)
      if (std::string n = lockNode(h); !n.empty() && n != node)
        gates.insert(n);
    for (const model::ObjRef& h : b.held)
      if (gates.count(lockNode(h)))
        return true;
    return false;
  }

  void reportPair(const Observation& first, const Observation& second, std::vector<Finding>& out) {
    std::string msg = "lock order inversion: " + quoted(first.lock.display) +
                      " is acquired while holding " + quoted(first.other.display) + " here, but " +
                      quoted(second.lock.display) + " is acquired while holding " +
                      quoted(second.other.display) +
                      (second.function ? " in " + quoted(second.function->name) : std::string()) +
                      atLine(second.loc) + "; threads taking both paths can deadlock";
    out.push_back(findingWithFlows(first, msg, {&first, &second}));
  }

  // The shortest cycle through `start`, as the list of nodes [start, ..., last] with an edge from
  // last back to start; empty if there is none.
  static std::vector<std::string> findCycle(const std::string& start,
                                            const std::map<std::string, std::set<std::string>>& succ) {
    std::map<std::string, std::string> parent;
    std::vector<std::string> frontier{start};
    std::set<std::string> visited{start};
    auto it = succ.find(start);
    if (it != succ.end() && it->second.count(start))
      return {start};
    while (!frontier.empty()) {
      std::vector<std::string> next;
      for (const std::string& n : frontier) {
        auto s = succ.find(n);
        if (s == succ.end())
          continue;
        for (const std::string& m : s->second) {
          if (m == start) {
            std::vector<std::string> path{n};
            for (std::string p = n; p != start;) {
              p = parent[p];
              path.push_back(p);
            }
            std::reverse(path.begin(), path.end());
            return path;
          }
          if (visited.insert(m).second) {
            parent[m] = n;
            next.push_back(m);
          }
        }
      }
      frontier = std::move(next);
    }
    return {};
  }

  // Some lock is held across every acquisition of every edge of the cycle (a gate lock such as
  // a table's resize mutex around both orders of two inner locks): only one thread at a time
  // is inside the cycle, so it cannot deadlock. A cycle through a single node (two objects of one
  // declaration) is not gated by a lock of that same declaration.
  bool gated(const std::vector<std::string>& cycle) const {
    std::set<std::string> common;
    for (size_t i = 0; i < cycle.size(); ++i) {
      const std::set<std::string>& g = gates_.at({cycle[i], cycle[(i + 1) % cycle.size()]});
      if (i == 0) {
        common = g;
      } else {
        std::set<std::string> both;
        std::set_intersection(common.begin(), common.end(), g.begin(), g.end(),
                              std::inserter(both, both.begin()));
        common = std::move(both);
      }
    }
    return !common.empty();
  }

  void report(const std::vector<std::string>& cycle, std::vector<Finding>& out) {
    std::vector<const Observation*> chain;
    for (size_t i = 0; i < cycle.size(); ++i) {
      const std::string& from = cycle[i];
      const std::string& to = cycle[(i + 1) % cycle.size()];
      chain.push_back(&edges_.at({from, to}).front());
    }
    const Observation& first = *chain.front();
    std::string msg;
    if (cycle.size() == 1) {
      msg = "lock order inversion: two " + quoted(names_[cycle[0]]) +
            " locks are taken one while holding the other, in an order that depends on the "
            "arguments; two threads passing them the other way round deadlock";
    } else {
      msg = "lock order inversion: " + quoted(names_[cycle[1 % cycle.size()]]) +
            " is acquired while holding " + quoted(names_[cycle[0]]) + " here";
      for (size_t i = 1; i < chain.size(); ++i) {
        const Observation& o = *chain[i];
        msg += ", but " + quoted(names_[cycle[(i + 1) % cycle.size()]]) +
               " is acquired while holding " + quoted(names_[cycle[i]]) +
               (o.function ? " in " + quoted(o.function->name) : std::string()) +
               atLine(o.loc);
      }
      msg += "; threads taking both paths can deadlock";
    }
    out.push_back(findingWithFlows(first, msg, chain));
  }

  // The finding at `first`, with one flow of notes per edge: the path to each acquisition.
  Finding findingWithFlows(const Observation& first, const std::string& msg,
                           const std::vector<const Observation*>& chain) const {
    Finding f = makeFinding(first, id(), msg);
    f.notes.clear();
    for (size_t i = 0; i < chain.size(); ++i)
      for (const PathNote& n : chain[i]->notes) {
        Note note;
        note.loc = model::toLocation(n.loc);
        note.message = n.message;
        note.flow = static_cast<unsigned>(i);
        f.notes.push_back(std::move(note));
      }
    return f;
  }

  std::map<std::pair<std::string, std::string>, std::vector<Observation>> edges_;
  // Per edge: the locks held across every one of its acquisitions, besides its two ends.
  std::map<std::pair<std::string, std::string>, std::set<std::string>> gates_;
  std::map<std::string, std::string> names_;
  // Per declaration: the first acquisition of each ordered pair of its objects named by code.
  std::map<std::string, std::map<std::pair<std::string, std::string>, Observation>> fixedPairs_;
};

} // namespace

std::unique_ptr<ModelCheck> createLockOrderInversionCheck() {
  return std::make_unique<LockOrderInversionCheck>();
}

} // namespace threadcheck::checkers
