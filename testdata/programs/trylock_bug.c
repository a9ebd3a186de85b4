// The cache of trylock_fixed.c, but the lookup waits for a busy entry (a blocking write lock)
// while it holds the table lock, and the update holds the entry while it waits for the table:
// a real lock-order inversion, which deadlocks.
#include <assert.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static pthread_mutex_t table = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t entry = PTHREAD_RWLOCK_INITIALIZER;
static int value = 0, hits = 0, updates = 0;

static void* lookup(void* arg) {
  (void)arg;
  for (int i = 0; i < 3; ++i) {
    pthread_mutex_lock(&table);
    pthread_rwlock_wrlock(&entry); // waits for the entry while holding the table
    hits += value;
    pthread_rwlock_unlock(&entry);
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
  printf("value %d, %d hits\n", value, hits);
  assert(value == 3);
  return 0;
}
