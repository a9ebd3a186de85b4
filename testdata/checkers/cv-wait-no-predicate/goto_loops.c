// cv-wait-no-predicate: loops written with goto. A wait whose branch jumps back to a label before
// the `if` that guards it re-tests that condition after every wakeup, as a while loop does (the
// shape of hand-written worker state machines); a jump forward, or back past no test, does not.
#include <pthread.h>
#include <stdbool.h>

enum state { IDLE, RUN, EXIT };

struct worker {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  enum state state;
  int jobs;
  bool flushed;
};

static void do_job(struct worker* w) {
  (void)w;
}

// case: good
static void* worker_main(void* arg) {
  struct worker* w = arg;
next_locked:
  pthread_mutex_lock(&w->mutex);
next_unlocked:
  if (w->state == IDLE) {
    pthread_cond_wait(&w->cond, &w->mutex);
    goto next_unlocked;
  }
  if (w->state == EXIT) {
    pthread_mutex_unlock(&w->mutex);
    return NULL;
  }
  --w->jobs;
  pthread_mutex_unlock(&w->mutex);
  do_job(w);
  goto next_locked;
}

// case: good
// The label is placed on the test itself.
static void wait_flushed(struct worker* w) {
  pthread_mutex_lock(&w->mutex);
again:
  if (!w->flushed) {
    pthread_cond_wait(&w->cond, &w->mutex);
    goto again;
  }
  pthread_mutex_unlock(&w->mutex);
}

// case: bad
// The jump goes forward: the code after the label runs once whatever woke the thread.
static int take_job(struct worker* w) {
  pthread_mutex_lock(&w->mutex);
  if (w->jobs == 0) {
    pthread_cond_wait(&w->cond, &w->mutex); // expect: cv-wait-no-predicate
    goto have_job;
  }
have_job:
  --w->jobs;
  pthread_mutex_unlock(&w->mutex);
  return 0;
}

// case: bad
// The jump goes back, but the test it reaches again reads nothing shared.
static void wait_counted(struct worker* w, int n) {
  pthread_mutex_lock(&w->mutex);
  int seen = 0;
retry:
  if (seen < n) {
    pthread_cond_wait(&w->cond, &w->mutex); // expect: cv-wait-no-predicate
    ++seen;
    goto retry;
  }
  pthread_mutex_unlock(&w->mutex);
}

// case: bad
// The branch jumps back only on one path; the other falls through with the state unknown.
static void wait_maybe(struct worker* w, bool once) {
  pthread_mutex_lock(&w->mutex);
top:
  if (w->state == IDLE) {
    pthread_cond_wait(&w->cond, &w->mutex); // expect: cv-wait-no-predicate
    if (!once)
      goto top;
  }
  pthread_mutex_unlock(&w->mutex);
}

int main(void) {
  struct worker w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, IDLE, 0, false};
  pthread_t t;
  if (pthread_create(&t, NULL, worker_main, &w) != 0)
    return 1;
  pthread_mutex_lock(&w.mutex);
  w.state = EXIT;
  pthread_cond_signal(&w.cond);
  pthread_mutex_unlock(&w.mutex);
  pthread_join(t, NULL);
  wait_flushed(&w);
  wait_maybe(&w, true);
  wait_counted(&w, 0);
  return take_job(&w);
}
