// Paths that simple facts rule out: constant trip counts, constant locals, loop-counter ranges,
// the error branch of a failed lock, null checks after a dereference.
#include <pthread.h>
#include <stddef.h>

#define NSHARDS 4

struct shard {
  pthread_mutex_t mu;
  long hits;
};

static struct shard shards[NSHARDS];

// case: good
// Locks all shards, then unlocks all: the two loops run the same known number of times.
long shards_total(void) {
  long total = 0;
  for (int i = 0; i < NSHARDS; i++)
    pthread_mutex_lock(&shards[i].mu);
  for (int i = 0; i < NSHARDS; i++)
    total += shards[i].hits;
  for (int i = 0; i < NSHARDS; i++)
    pthread_mutex_unlock(&shards[i].mu);
  return total;
}

// case: good
// A local that is constant on the path decides both branches.
void shard_bump(struct shard* s, int n) {
  const int locked = 1;
  if (locked)
    pthread_mutex_lock(&s->mu);
  s->hits += n;
  if (locked)
    pthread_mutex_unlock(&s->mu);
}

// case: good
// The error branch after a failed lock holds nothing.
int shard_reset(struct shard* s) {
  int rc = pthread_mutex_lock(&s->mu);
  if (rc != 0)
    return rc;
  s->hits = 0;
  pthread_mutex_unlock(&s->mu);
  return 0;
}

// case: good
// s was dereferenced before the null check, so the check cannot be true on this path.
long shard_read(struct shard* s) {
  pthread_mutex_lock(&s->mu);
  long h = s->hits;
  if (s == NULL)
    return -1;
  pthread_mutex_unlock(&s->mu);
  return h;
}

// case: bad
// The early return leaks the lock on a feasible path.
long shard_take(struct shard* s, long want) {
  pthread_mutex_lock(&s->mu);
  if (s->hits < want)
    return 0; // expect: lock-not-released
  s->hits -= want;
  pthread_mutex_unlock(&s->mu);
  return want;
}

// case: support
struct shard* shard_lookup(long key);

// case: bad
// The pointer tested is a new value, not the one dereferenced: the lookup may fail, and that
// return leaks the first shard's lock.
long shard_move(struct shard* s, long key) {
  pthread_mutex_lock(&s->mu);
  long h = s->hits;
  struct shard* from = s;
  s = shard_lookup(key);
  if (s == NULL)
    return -1; // expect: lock-not-released
  s->hits += h;
  pthread_mutex_unlock(&from->mu);
  return h;
}
