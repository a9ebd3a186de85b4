// The callers of wait_wrappers.c's wrappers, in another translation unit.
#include "wait_wrappers.h"

#include <stdbool.h>

static bool ev_queue_empty(const struct ev_queue* q) {
  return q->head == q->tail;
}

// case: good
int ev_queue_pop(struct ev_queue* q) {
  pthread_mutex_lock(&q->mu);
  while (ev_queue_empty(q) && !q->stop)
    ev_cond_wait(&q->nonempty, &q->mu);
  int v = q->head++;
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: good
// Through the wrapper of a wrapper.
int ev_queue_pop_nested(struct ev_queue* q) {
  pthread_mutex_lock(&q->mu);
  for (;;) {
    if (!ev_queue_empty(q) || q->stop)
      break;
    ev_queue_wait(q);
  }
  int v = q->head++;
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: good
// A timed wait through the wrapper, re-tested.
int ev_queue_pop_timed(struct ev_queue* q) {
  pthread_mutex_lock(&q->mu);
  while (ev_queue_empty(q))
    if (ev_cond_timedwait(&q->nonempty, &q->mu, 1000000) != 0)
      break;
  int v = ev_queue_empty(q) ? -1 : q->head++;
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: bad
// Tested once with `if`: a spurious wakeup pops from an empty queue.
int ev_queue_pop_once(struct ev_queue* q) {
  pthread_mutex_lock(&q->mu);
  if (ev_queue_empty(q))
    ev_cond_wait(&q->nonempty, &q->mu); // expect: cv-wait-no-predicate
  int v = q->head++;
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: bad
// The wrapper of a wrapper, not re-tested at all.
int ev_queue_pop_blind(struct ev_queue* q) {
  pthread_mutex_lock(&q->mu);
  ev_queue_wait(q); // expect: cv-wait-no-predicate
  int v = q->head++;
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: good
void ev_queue_push(struct ev_queue* q) {
  pthread_mutex_lock(&q->mu);
  q->tail++;
  pthread_cond_signal(&q->nonempty);
  pthread_mutex_unlock(&q->mu);
}
