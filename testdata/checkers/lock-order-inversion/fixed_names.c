// Two locks of one declaration (the mutex of a lock struct) named by the code itself: through two
// global pointers set once at start-up, as a compressor's writer and checker states are, or as
// two elements of a global array at constant indices. Their order is the order the code writes;
// it is an inversion only where some code takes them the other way round. Locks chosen by the
// caller (parameters) or found at run time (a computed index) can come in either order.
#include <pthread.h>
#include <stdlib.h>

struct lock_s {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  long value;
};

static void possess(struct lock_s* l) {
  pthread_mutex_lock(&l->mutex);
}

static void release(struct lock_s* l) {
  pthread_mutex_unlock(&l->mutex);
}

static struct lock_s* write_more;
static struct lock_s* check_more;

void outb_init(void) {
  write_more = calloc(1, sizeof *write_more);
  check_more = calloc(1, sizeof *check_more);
  pthread_mutex_init(&write_more->mutex, NULL);
  pthread_mutex_init(&check_more->mutex, NULL);
}

// case: good
// Always the checker's state, then the writer's: the order is fixed by the code.
void outb_hand_over(long len) {
  possess(check_more);
  possess(write_more);
  write_more->value = len;
  check_more->value = len;
  release(write_more);
  release(check_more);
}

// case: good
// Each thread takes one of them alone.
void outb_write_done(void) {
  possess(write_more);
  write_more->value = 0;
  release(write_more);
}

static struct lock_s stages[3];

// case: good
// Elements at constant indices, always in index order.
void stages_advance(void) {
  pthread_mutex_lock(&stages[0].mutex);
  pthread_mutex_lock(&stages[1].mutex);
  stages[1].value = stages[0].value;
  pthread_mutex_unlock(&stages[1].mutex);
  pthread_mutex_unlock(&stages[0].mutex);
}

static struct lock_s* log_state;
static struct lock_s* out_state;

// case: bad
// The same two global states taken in both orders by two functions.
void log_flush(void) {
  possess(log_state);
  possess(out_state); // expect: lock-order-inversion
  release(out_state);
  release(log_state);
}

void out_report(void) {
  possess(out_state);
  possess(log_state);
  release(log_state);
  release(out_state);
}

// case: bad
// The caller picks the two states: another call can pass them the other way round.
void states_swap(struct lock_s* a, struct lock_s* b) {
  possess(a);
  possess(b); // expect: lock-order-inversion
  long t = a->value;
  a->value = b->value;
  b->value = t;
  release(b);
  release(a);
}

static pthread_mutex_t states_gate = PTHREAD_MUTEX_INITIALIZER;
static struct lock_s* in_state;
static struct lock_s* err_state;

// case: good
// Both orders of the two global states, each under the gate lock: one thread at a time.
void in_drain(void) {
  pthread_mutex_lock(&states_gate);
  possess(in_state);
  possess(err_state);
  release(err_state);
  release(in_state);
  pthread_mutex_unlock(&states_gate);
}

void err_drain(void) {
  pthread_mutex_lock(&states_gate);
  possess(err_state);
  possess(in_state);
  release(in_state);
  release(err_state);
  pthread_mutex_unlock(&states_gate);
}
