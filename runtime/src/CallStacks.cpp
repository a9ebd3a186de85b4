#include "CallStacks.h"

#include "Arena.h"
#include "Record.h"
#include "Strategy.h"

namespace threadcheck::rt {
namespace {

constexpr uint32_t kDepth = 256;
constexpr uint32_t kTableBits = 25; // twice the node capacity: short probe sequences
constexpr uint32_t kTableMask = (1u << kTableBits) - 1;
constexpr uint32_t kCacheSize = 64; // per thread: (stack node, pc) -> site

struct Node {
  uintptr_t pc;
  uint32_t parent;
};

struct ThreadStack {
  uintptr_t pcs[kDepth] = {};
  uintptr_t cachePc[kCacheSize] = {};
  uint32_t depth = 0;
  uint32_t overflow = 0; // frames entered beyond kDepth
  uint32_t valid = 1;    // nodes[0 .. valid) name the prefixes of pcs
  uint32_t nodes[kDepth + 1] = {};
  uint32_t cacheParent[kCacheSize] = {};
  uint32_t cacheSite[kCacheSize] = {};
};

Node* g_nodes = nullptr;     // node 0 is the root (an empty stack)
uint32_t* g_table = nullptr; // open addressing over node ids
uint32_t g_nextNode = 1;
// Initialised at compile time: instrumented global constructors of the program run before any
// dynamic initialiser of the runtime linked in after them (a thread started from one, too).
constinit ThreadStack g_stacks[kMaxThreads];

uint32_t intern(uint32_t parent, uintptr_t pc) {
  uint32_t h = static_cast<uint32_t>(splitmix64(pc ^ (uint64_t{parent} << 48))) & kTableMask;
  for (;;) {
    uint32_t id = g_table[h];
    if (id == 0) {
      if (g_nextNode > CallStacks::kMaxNode)
        return 0;
      id = g_nextNode++;
      g_nodes[id] = Node{pc, parent};
      g_table[h] = id;
      return id;
    }
    if (g_nodes[id].pc == pc && g_nodes[id].parent == parent)
      return id;
    h = (h + 1) & kTableMask;
  }
}

} // namespace

bool CallStacks::init() {
  if (g_nodes)
    return true;
  g_nodes = static_cast<Node*>(reserveMemory((size_t{kMaxNode} + 1) * sizeof(Node)));
  g_table = static_cast<uint32_t*>(reserveMemory((size_t{kTableMask} + 1) * sizeof(uint32_t)));
  return g_nodes && g_table;
}

void CallStacks::enter(int32_t tid, uintptr_t pc) {
  ThreadStack& s = g_stacks[tid];
  if (s.depth < kDepth)
    s.pcs[s.depth++] = pc;
  else
    ++s.overflow;
}

void CallStacks::exit(int32_t tid) {
  ThreadStack& s = g_stacks[tid];
  if (s.overflow > 0) {
    --s.overflow;
    return;
  }
  // Uninstrumented callers and exceptions can leave exits without entries: never underflow.
  if (s.depth > 0)
    --s.depth;
  if (s.valid > s.depth + 1)
    s.valid = s.depth + 1;
}

void CallStacks::reset(int32_t tid) {
  ThreadStack& s = g_stacks[tid];
  s.depth = 0;
  s.overflow = 0;
  s.valid = 1;
  s.nodes[0] = 0;
  for (uint32_t i = 0; i < kCacheSize; ++i)
    s.cachePc[i] = 0;
}

void CallStacks::startSchedule() {
  if (!g_nodes || g_nextNode <= kMaxNode / 2)
    return;
  zeroMemory(g_table, g_table + kTableMask + 1);
  g_nextNode = 1;
  for (ThreadStack& s : g_stacks) {
    s.valid = 1;
    for (uint32_t i = 0; i < kCacheSize; ++i)
      s.cachePc[i] = 0;
  }
}

uint32_t CallStacks::site(int32_t tid, uintptr_t pc) {
  ThreadStack& s = g_stacks[tid];
  if (!g_nodes)
    return 0;
  while (s.valid <= s.depth) {
    s.nodes[s.valid] = intern(s.nodes[s.valid - 1], s.pcs[s.valid - 1]);
    ++s.valid;
  }
  uint32_t parent = s.nodes[s.depth];
  uint32_t slot = static_cast<uint32_t>((pc >> 2) ^ parent) & (kCacheSize - 1);
  if (s.cachePc[slot] == pc && s.cacheParent[slot] == parent)
    return s.cacheSite[slot];
  uint32_t id = intern(parent, pc);
  s.cachePc[slot] = pc;
  s.cacheParent[slot] = parent;
  s.cacheSite[slot] = id;
  return id;
}

uint32_t CallStacks::frames(uint32_t node, uintptr_t* out, uint32_t max) {
  uint32_t n = 0;
  while (node != 0 && n < max) {
    out[n++] = g_nodes[node].pc - 1;
    node = g_nodes[node].parent;
  }
  return n;
}

uintptr_t CallStacks::pc(uint32_t node) {
  return node ? g_nodes[node].pc : 0;
}

} // namespace threadcheck::rt
