// Seed source for the cache and shard fuzz targets: pthread locks in two orders, a wrapper.
#include <pthread.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t b = PTHREAD_MUTEX_INITIALIZER;
static int balance;

static void lock_both(pthread_mutex_t* first, pthread_mutex_t* second) {
  pthread_mutex_lock(first);
  pthread_mutex_lock(second);
}

static void* transfer(void*) {
  lock_both(&a, &b);
  ++balance;
  pthread_mutex_unlock(&b);
  pthread_mutex_unlock(&a);
  return nullptr;
}

static void* audit(void*) {
  lock_both(&b, &a);
  --balance;
  pthread_mutex_unlock(&a);
  pthread_mutex_unlock(&b);
  return nullptr;
}

int main() {
  pthread_t t1, t2;
  pthread_create(&t1, nullptr, transfer, nullptr);
  pthread_create(&t2, nullptr, audit, nullptr);
  pthread_join(t1, nullptr);
  pthread_join(t2, nullptr);
  return balance;
}
