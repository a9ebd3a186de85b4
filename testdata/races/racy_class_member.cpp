// A member of a shared object updated by two std::threads.
// race: global 'stats'
#include <thread>
struct Stats {
  long requests = 0;
  void record() { ++requests; }
};
Stats stats;
int main() {
  std::thread a([] { stats.record(); });
  std::thread b([] { stats.record(); });
  a.join();
  b.join();
  return 0;
}
