// The pop as a compare-exchange loop (nodes are never freed here, so there is no ABA).
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
  while (top && !head.compare_exchange_weak(top, top->next)) {
  }
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
