// A spin that is never instrumented (no_sanitize: even in a 'threadcheck cc' build the loop has
// no scheduling point, like a lock-free reader in an uninstrumented library): only a time slice
// lets the writer run. The bug: the flag is raised before the payload, with a lock between.
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static atomic_int ready;
static atomic_int payload;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((no_sanitize("thread"), noinline)) static void wait_for(atomic_int* flag) {
  while (!*(volatile int*)flag) {
  }
}

static void* writer(void* arg) {
  (void)arg;
  atomic_store_explicit(&ready, 1, memory_order_release);
  pthread_mutex_lock(&log_mu);
  pthread_mutex_unlock(&log_mu);
  atomic_store_explicit(&payload, 7, memory_order_relaxed);
  return 0;
}

int main(void) {
  pthread_t w;
  pthread_create(&w, 0, writer, 0);
  wait_for(&ready);
  atomic_thread_fence(memory_order_acquire);
  assert(atomic_load_explicit(&payload, memory_order_relaxed) == 7);
  pthread_join(w, 0);
  return 0;
}
