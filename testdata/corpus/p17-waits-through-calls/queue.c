// Waits in loops that re-test the state through a call, and a wait wrapper judged at its callers.
#include <pthread.h>
#include <stdbool.h>

struct bqueue {
  pthread_mutex_t mu;
  pthread_cond_t nonempty;
  int head, tail;
  int buf[32];
};

static bool bqueue_empty(const struct bqueue* q) { return q->head == q->tail; }

// case: support
static void bqueue_wait(struct bqueue* q) { pthread_cond_wait(&q->nonempty, &q->mu); }

// case: good
int bqueue_pop(struct bqueue* q) {
  pthread_mutex_lock(&q->mu);
  while (bqueue_empty(q))
    pthread_cond_wait(&q->nonempty, &q->mu);
  int v = q->buf[q->head++ & 31];
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: good
int bqueue_pop_wrapped(struct bqueue* q) {
  pthread_mutex_lock(&q->mu);
  while (bqueue_empty(q))
    bqueue_wait(q);
  int v = q->buf[q->head++ & 31];
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: bad
// Tests once with if: a spurious wake-up pops from an empty queue.
int bqueue_pop_once(struct bqueue* q) {
  pthread_mutex_lock(&q->mu);
  if (bqueue_empty(q))
    pthread_cond_wait(&q->nonempty, &q->mu); // expect: cv-wait-no-predicate
  int v = q->buf[q->head++ & 31];
  pthread_mutex_unlock(&q->mu);
  return v;
}

// case: good
void bqueue_push(struct bqueue* q, int v) {
  pthread_mutex_lock(&q->mu);
  q->buf[q->tail++ & 31] = v;
  pthread_cond_signal(&q->nonempty);
  pthread_mutex_unlock(&q->mu);
}
