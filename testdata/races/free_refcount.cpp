// Race-free through a release sequence: the last fetch_sub (acq_rel) frees what others touched.
#include <atomic>
#include <thread>
struct Shared {
  std::atomic<int> refs{3};
  int scratch[3] = {};
};
Shared* shared = new Shared;
int result;
void drop(Shared* s) {
  if (s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    result = s->scratch[0] + s->scratch[1] + s->scratch[2];
    delete s;
  }
}
int main() {
  Shared* s = shared;
  std::thread a([s] {
    s->scratch[1] = 1;
    drop(s);
  });
  std::thread b([s] {
    s->scratch[2] = 2;
    drop(s);
  });
  s->scratch[0] = 3;
  drop(s);
  a.join();
  b.join();
  return result == 6 ? 0 : 1;
}
