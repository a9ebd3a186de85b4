// The main thread spin-waits on an atomic flag with acquire loads and nothing else in
// the loop: without instrumentation the loop has no scheduling point at all, so only a time
// slice lets the writer run. The bug: the flag is raised before the data, with a lock between.
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

static atomic_int ready;
static atomic_int data;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void* writer(void* arg) {
  (void)arg;
  atomic_store_explicit(&ready, 1, memory_order_release);
  pthread_mutex_lock(&log_mu); // a log line, say: the spinner may run here
  pthread_mutex_unlock(&log_mu);
  atomic_store_explicit(&data, 42, memory_order_relaxed);
  return 0;
}

int main(void) {
  pthread_t w;
  pthread_create(&w, 0, writer, 0);
  while (!atomic_load_explicit(&ready, memory_order_acquire)) {
  }
  assert(atomic_load_explicit(&data, memory_order_relaxed) == 42);
  pthread_join(w, 0);
  return 0;
}
