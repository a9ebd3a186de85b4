// Seed source for the shard fuzz target: a unit that fails to parse, which a shard records as such.
#include <mutex>

void broken(std::mutex& m) {
  m.lock();
  undeclared_function(m);
}
