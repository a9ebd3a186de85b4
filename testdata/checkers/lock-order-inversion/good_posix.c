// lock-order-inversion: pthread and C11 code with one lock order.
#include <pthread.h>
#include <threads.h>

pthread_mutex_t g_disk = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_cache_lock = PTHREAD_MUTEX_INITIALIZER;

// case: good
// Disk before cache, everywhere.
void disk_fill(void) {
  pthread_mutex_lock(&g_disk);
  pthread_mutex_lock(&g_cache_lock);
  pthread_mutex_unlock(&g_cache_lock);
  pthread_mutex_unlock(&g_disk);
}
void disk_evict(void) {
  pthread_mutex_lock(&g_disk);
  pthread_mutex_lock(&g_cache_lock);
  pthread_mutex_unlock(&g_cache_lock);
  pthread_mutex_unlock(&g_disk);
}

pthread_mutex_t g_one = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_two = PTHREAD_MUTEX_INITIALIZER;

// case: good
// pthread_mutex_trylock in the reverse order, with back-off.
void one_two(void) {
  pthread_mutex_lock(&g_one);
  pthread_mutex_lock(&g_two);
  pthread_mutex_unlock(&g_two);
  pthread_mutex_unlock(&g_one);
}
int two_try_one(void) {
  pthread_mutex_lock(&g_two);
  if (pthread_mutex_trylock(&g_one) != 0) {
    pthread_mutex_unlock(&g_two);
    return -1;
  }
  pthread_mutex_unlock(&g_one);
  pthread_mutex_unlock(&g_two);
  return 0;
}

mtx_t g_reader;
mtx_t g_writer;

// case: good
// C11 mutexes in one order.
void c11_read(void) {
  mtx_lock(&g_reader);
  mtx_lock(&g_writer);
  mtx_unlock(&g_writer);
  mtx_unlock(&g_reader);
}
void c11_write(void) {
  mtx_lock(&g_reader);
  mtx_lock(&g_writer);
  mtx_unlock(&g_writer);
  mtx_unlock(&g_reader);
}

pthread_mutex_t g_solo_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_solo_b = PTHREAD_MUTEX_INITIALIZER;

// case: good
// Sequential, never nested.
void solo(void) {
  pthread_mutex_lock(&g_solo_a);
  pthread_mutex_unlock(&g_solo_a);
  pthread_mutex_lock(&g_solo_b);
  pthread_mutex_unlock(&g_solo_b);
  pthread_mutex_lock(&g_solo_a);
  pthread_mutex_unlock(&g_solo_a);
}
