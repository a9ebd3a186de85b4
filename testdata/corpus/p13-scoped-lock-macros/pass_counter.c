// A scoped-lock macro whose loop condition does the locking: a pass counter starts at 0, the
// condition is a conditional expression that locks and yields 1 on the first test and unlocks and
// yields 0 on the second, and the increment sets the counter to 1. The lock and unlock go through
// small inline wrappers that check the result with assert, as compression libraries write them.
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>

static inline void mu_lock(pthread_mutex_t* m) {
  int ret = pthread_mutex_lock(m);
  assert(ret == 0);
  (void)ret;
}

static inline void mu_unlock(pthread_mutex_t* m) {
  int ret = pthread_mutex_unlock(m);
  assert(ret == 0);
  (void)ret;
}

static inline void cv_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  int ret = pthread_cond_wait(c, m);
  assert(ret == 0);
  (void)ret;
}

#define SYNC_PASTE(a, b) a##b
#define SYNC_NAME(line) SYNC_PASTE(sync_pass_, line)
#define SYNC_WITH(mutex, name)                                                                     \
  for (unsigned int name = 0; name ? (mu_unlock(&(mutex)), 0) : (mu_lock(&(mutex)), 1); name = 1)
#define sync_with(mutex) SYNC_WITH(mutex, SYNC_NAME(__LINE__))

enum worker_state { W_IDLE, W_RUN, W_FINISH, W_EXIT };

struct coder;

struct worker {
  struct coder* coder;
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  enum worker_state state;
  int progress;
  struct worker* next;
};

struct coder {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  int error;
  struct worker* free_list;
  int outq_len;
};

// case: good
static void worker_error(struct worker* w, int err) {
  sync_with(w->coder->mutex) {
    if (w->coder->error == 0)
      w->coder->error = err;
    pthread_cond_signal(&w->coder->cond);
  }
}

// case: good
// Waits inside the block, in a loop that re-tests the state; breaks out of an inner loop only.
static enum worker_state worker_wait(struct worker* w) {
  enum worker_state state;
  sync_with(w->mutex) {
    while (w->state == W_IDLE)
      cv_wait(&w->cond, &w->mutex);
    state = w->state;
    for (int i = 0; i < 4; ++i) {
      if (w->progress > i)
        break;
    }
  }
  return state;
}

// case: good
// Two blocks in sequence and one nested inside another: each counter is its own.
static void worker_done(struct worker* w) {
  sync_with(w->mutex) {
    w->state = W_IDLE;
    w->progress = 0;
  }
  sync_with(w->coder->mutex) {
    w->next = w->coder->free_list;
    w->coder->free_list = w;
    sync_with(w->mutex) w->progress = -1;
    pthread_cond_signal(&w->coder->cond);
  }
}

// case: good
static void* worker_main(void* arg) {
  struct worker* w = arg;
  while (true) {
    enum worker_state state = worker_wait(w);
    if (state == W_EXIT)
      break;
    if (state == W_RUN)
      worker_done(w);
    else
      worker_error(w, 1);
  }
  return NULL;
}

// case: good
static int start_worker(struct worker* w) {
  pthread_t tid;
  int ret = pthread_create(&tid, NULL, worker_main, w);
  if (ret != 0)
    return ret;
  pthread_detach(tid);
  return 0;
}

// case: good
// A wait with a timeout whose failure leaves the loop through break: the macro still unlocks.
static bool wait_for_output(struct coder* c, const struct timespec* deadline) {
  bool timed_out = false;
  sync_with(c->mutex) {
    while (c->outq_len == 0 && c->error == 0) {
      if (pthread_cond_timedwait(&c->cond, &c->mutex, deadline) != 0) {
        timed_out = true;
        break;
      }
    }
  }
  return timed_out;
}

// case: bad
// Returning from inside the block skips the condition's unlocking branch.
static int first_error(struct coder* c) {
  sync_with(c->mutex) {
    if (c->error != 0)
      return c->error; // expect: lock-not-released
  }
  return start_worker(c->free_list);
}
