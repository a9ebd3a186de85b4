// A cache: a lookup holds the table lock and takes an entry's rwlock only with a try-lock,
// skipping a busy entry; an update holds the entry (also taken with a try-lock) and then the
// table lock. The two locks are taken in both orders, but nobody ever waits for the entry while
// holding the table, so this cannot deadlock: try-locks make no lock-order edges.
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t entry = PTHREAD_RWLOCK_INITIALIZER;
static int value = 0, hits = 0, skipped = 0, updates = 0;

static void* lookup(void* arg) {
  (void)arg;
  for (int i = 0; i < 3; ++i) {
    pthread_mutex_lock(&table);
    if (pthread_rwlock_trywrlock(&entry) == 0) { // exclusive: the lookup refreshes the entry
      hits += value;
      pthread_rwlock_unlock(&entry);
    } else {
      ++skipped;
    }
    pthread_mutex_unlock(&table);
  }
  return NULL;
}

static void* update(void* arg) {
  (void)arg;
  while (updates < 3) {
    if (pthread_rwlock_trywrlock(&entry) != 0) {
      sched_yield();
      continue;
    }
    pthread_mutex_lock(&table);
    ++value;
    ++updates;
    pthread_mutex_unlock(&table);
    pthread_rwlock_unlock(&entry);
  }
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, lookup, NULL);
  pthread_create(&b, NULL, update, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("value %d, %d hits, %d skipped\n", value, hits, skipped);
  assert(value == 3);
  return 0;
}
