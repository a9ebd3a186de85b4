// libuv's style in C: thin uv_mutex_*/uv_cond_* wrappers that abort on error, and a work queue
// whose worker loops on the queue state.
#include <pthread.h>
#include <stdlib.h>

typedef pthread_mutex_t ev_mutex_t;
typedef pthread_cond_t ev_cond_t;

// case: support
void ev_mutex_lock(ev_mutex_t* m) {
  if (pthread_mutex_lock(m))
    abort();
}
void ev_mutex_unlock(ev_mutex_t* m) {
  if (pthread_mutex_unlock(m))
    abort();
}
void ev_cond_signal(ev_cond_t* c) {
  if (pthread_cond_signal(c))
    abort();
}

// case: good
// The wrapper's wait has no predicate; its callers loop.
void ev_cond_wait(ev_cond_t* c, ev_mutex_t* m) {
  if (pthread_cond_wait(c, m))
    abort();
}

struct work {
  struct work* next;
  void (*fn)(struct work*);
};

static ev_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static ev_cond_t pool_cond = PTHREAD_COND_INITIALIZER;
static struct work* pool_head;
static int pool_stop;

// case: good
static void* pool_worker(void* arg) {
  (void)arg;
  for (;;) {
    ev_mutex_lock(&pool_mu);
    while (pool_head == NULL && !pool_stop)
      ev_cond_wait(&pool_cond, &pool_mu);
    if (pool_stop) {
      ev_mutex_unlock(&pool_mu);
      break;
    }
    struct work* w = pool_head;
    pool_head = w->next;
    ev_mutex_unlock(&pool_mu);
    w->fn(w);
  }
  return NULL;
}

// case: good
void pool_submit(struct work* w) {
  ev_mutex_lock(&pool_mu);
  w->next = pool_head;
  pool_head = w;
  ev_cond_signal(&pool_cond);
  ev_mutex_unlock(&pool_mu);
}

// case: good
int pool_start(pthread_t* t) { return pthread_create(t, NULL, pool_worker, NULL); }
