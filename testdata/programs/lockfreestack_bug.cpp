// A lock-free stack whose pop reads the top and then stores the next node without a
// compare-exchange: two concurrent pops can take the same node.
#include <atomic>
#include <cassert>
#include <cstdio>
#include <thread>

struct Node {
  int value;
  Node* next;
};

std::atomic<Node*> head{nullptr};

void push(Node* n) {
  n->next = head.load();
  while (!head.compare_exchange_weak(n->next, n)) {
  }
}

Node* pop() {
  Node* top = head.load();
  if (!top)
    return nullptr;
  head.store(top->next); // not atomic with the load above
  return top;
}

Node nodes[2] = {{1, nullptr}, {2, nullptr}};
Node* taken[2];

int main() {
  push(&nodes[0]);
  push(&nodes[1]);
  std::thread a([] { taken[0] = pop(); });
  std::thread b([] { taken[1] = pop(); });
  a.join();
  b.join();
  std::printf("popped %d and %d\n", taken[0] ? taken[0]->value : 0, taken[1] ? taken[1]->value : 0);
  assert(taken[0] != taken[1] && "two pops returned the same node");
}
