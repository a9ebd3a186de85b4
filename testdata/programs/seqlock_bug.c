// The twin of seqlock_fixed.c whose writer never makes the sequence odd: it only bumps it by two
// after writing both fields, so a reader between the two writes sees an unchanged, even sequence
// and accepts a torn pair.
#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>

enum { kWrites = 3 };
static atomic_uint seq;
static atomic_int a, b;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void* writer(void* arg) {
  (void)arg;
  for (int i = 1; i <= kWrites; ++i) {
    unsigned s = atomic_load_explicit(&seq, memory_order_relaxed);
    atomic_store_explicit(&a, i, memory_order_relaxed);
    pthread_mutex_lock(&log_mu);
    pthread_mutex_unlock(&log_mu);
    atomic_store_explicit(&b, i, memory_order_relaxed);
    atomic_store_explicit(&seq, s + 2, memory_order_release);
  }
  return 0;
}

int main(void) {
  pthread_t w;
  pthread_create(&w, 0, writer, 0);
  int x = 0, y = 0;
  while (x < kWrites) {
    unsigned s1, s2;
    do {
      s1 = atomic_load_explicit(&seq, memory_order_acquire);
      x = atomic_load_explicit(&a, memory_order_relaxed);
      y = atomic_load_explicit(&b, memory_order_relaxed);
      atomic_thread_fence(memory_order_acquire);
      s2 = atomic_load_explicit(&seq, memory_order_relaxed);
    } while ((s1 & 1) || s1 != s2);
    assert(x == y);
  }
  pthread_join(w, 0);
  return 0;
}
