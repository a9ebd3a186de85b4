// Three threads spin-wait with sched_yield on an atomic flag that a fourth sets after a long,
// locked piece of work. Correct: every strategy must be fair to the spinners' yields (a yield
// lets every other enabled thread run first), so no schedule is a livelock, and the data is
// published before the flag.
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

enum { kSpinners = 3, kWork = 300 };
static atomic_int ready;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int total;
static atomic_int published;

static void* worker(void* arg) {
  (void)arg;
  for (int i = 0; i < kWork; ++i) {
    pthread_mutex_lock(&mu);
    total += 1;
    pthread_mutex_unlock(&mu);
  }
  atomic_store_explicit(&published, kWork, memory_order_relaxed);
  atomic_store_explicit(&ready, 1, memory_order_release);
  return 0;
}

static void* spinner(void* arg) {
  (void)arg;
  while (!atomic_load_explicit(&ready, memory_order_acquire))
    sched_yield();
  assert(atomic_load_explicit(&published, memory_order_relaxed) == kWork);
  return 0;
}

int main(void) {
  pthread_t s[kSpinners], w;
  for (int i = 0; i < kSpinners; ++i)
    pthread_create(&s[i], 0, spinner, 0);
  pthread_create(&w, 0, worker, 0);
  for (int i = 0; i < kSpinners; ++i)
    pthread_join(s[i], 0);
  pthread_join(w, 0);
  return total == kWork ? 0 : 1;
}
