// zstd's style: lock wrappers that do nothing when the context has no pool, and callers that test
// the same condition around both calls.
#include <pthread.h>
#include <stddef.h>

typedef struct {
  pthread_mutex_t mu;
  int has_pool;
  size_t jobs;
} ctx_t;

// case: support
static void ctx_lock(ctx_t* c) {
  if (c->has_pool)
    pthread_mutex_lock(&c->mu);
}
static void ctx_unlock(ctx_t* c) {
  if (c->has_pool)
    pthread_mutex_unlock(&c->mu);
}

// case: good
size_t ctx_add_job(ctx_t* c) {
  ctx_lock(c);
  size_t n = ++c->jobs;
  ctx_unlock(c);
  return n;
}

// case: good
// The condition tested by the caller itself around the raw calls.
size_t ctx_take_jobs(ctx_t* c, int shared) {
  if (shared)
    pthread_mutex_lock(&c->mu);
  size_t n = c->jobs;
  c->jobs = 0;
  if (shared)
    pthread_mutex_unlock(&c->mu);
  return n;
}

// case: bad
// Returns early between the wrappers: the lock stays held whenever the context has a pool.
int ctx_reserve(ctx_t* c, size_t limit) {
  ctx_lock(c);
  if (c->jobs >= limit)
    return -1; // expect: lock-not-released
  c->jobs++;
  ctx_unlock(c);
  return 0;
}
