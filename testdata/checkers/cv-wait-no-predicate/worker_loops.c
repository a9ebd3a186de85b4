// cv-wait-no-predicate: worker threads that never return, written the way servers write them
// (a cache server's IO threads, a logger's flusher): `while (1) { lock; if (queue empty) wait;
// ... }`. The loop never ends, so after a spurious wakeup its next pass tests the `if` again; the
// wait is only wrong when the code after the `if` goes on as if the queue were not empty.
#include <pthread.h>
#include <stddef.h>

struct job {
  struct job* next;
  int len;
};

struct io_thread {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  struct job* queue;
  int depth;
};

void run_job(struct job* j);

// case: good
// The batch is taken only when the queue is not empty: the next statement tests it again.
void* io_thread_main(void* arg) {
  struct io_thread* me = arg;
  while (1) {
    struct job* batch = NULL;
    pthread_mutex_lock(&me->mutex);
    if (me->queue == NULL) {
      pthread_cond_wait(&me->cond, &me->mutex);
    }
    if (me->queue != NULL) {
      batch = me->queue;
      me->queue = NULL;
      me->depth = 0;
    }
    pthread_mutex_unlock(&me->mutex);
    while (batch != NULL) {
      struct job* next = batch->next;
      run_job(batch);
      batch = next;
    }
  }
  return NULL;
}

// case: good
// The wait is in the `else` of the test that takes a job; the iteration only unlocks after it.
void* io_thread_pop_or_wait(void* arg) {
  struct io_thread* me = arg;
  for (;;) {
    pthread_mutex_lock(&me->mutex);
    struct job* j = me->queue;
    if (j != NULL) {
      me->queue = j->next;
      pthread_mutex_unlock(&me->mutex);
      run_job(j);
      continue;
    } else
      pthread_cond_wait(&me->cond, &me->mutex);
    pthread_mutex_unlock(&me->mutex);
  }
}

// case: good
// The branch of the wait starts the next pass itself.
void* io_thread_continue(void* arg) {
  struct io_thread* me = arg;
  do {
    pthread_mutex_lock(&me->mutex);
    if (me->queue == NULL) {
      pthread_cond_wait(&me->cond, &me->mutex);
      pthread_mutex_unlock(&me->mutex);
      continue;
    }
    struct job* j = me->queue;
    me->queue = j->next;
    pthread_mutex_unlock(&me->mutex);
    run_job(j);
  } while (1);
  return NULL;
}

// case: bad
// After a spurious wakeup the queue may still be empty, and its head is taken anyway.
void* io_thread_take_anyway(void* arg) {
  struct io_thread* me = arg;
  for (;;) {
    pthread_mutex_lock(&me->mutex);
    if (me->queue == NULL)
      pthread_cond_wait(&me->cond, &me->mutex); // expect: cv-wait-no-predicate
    struct job* j = me->queue;
    me->queue = j->next;
    pthread_mutex_unlock(&me->mutex);
    run_job(j);
  }
  return NULL;
}

// case: bad
// The `if` tests a count of the thread's own, which no other thread changes: nothing re-tests
// the queue.
void* io_thread_local_count(void* arg) {
  struct io_thread* me = arg;
  int taken = 0;
  while (1) {
    pthread_mutex_lock(&me->mutex);
    if (taken > 0)
      pthread_cond_wait(&me->cond, &me->mutex); // expect: cv-wait-no-predicate
    struct job* j = me->queue;
    if (j != NULL)
      me->queue = j->next;
    taken++;
    pthread_mutex_unlock(&me->mutex);
    if (j != NULL)
      run_job(j);
  }
  return NULL;
}

// case: bad
// The same with the test written over two lines (the message quotes it on one).
void* io_thread_take_shallow(void* arg) {
  struct io_thread* me = arg;
  for (;;) {
    pthread_mutex_lock(&me->mutex);
    if (me->queue == NULL || me->depth == 0)
      pthread_cond_wait(&me->cond, &me->mutex); // expect: cv-wait-no-predicate
    struct job* j = me->queue;
    me->queue = j->next;
    me->depth--;
    pthread_mutex_unlock(&me->mutex);
    run_job(j);
  }
  return NULL;
}

// case: bad
// What comes first after the wait tests other shared state; the queue is taken without a re-test.
void* io_thread_depth_first(void* arg) {
  struct io_thread* me = arg;
  for (;;) {
    pthread_mutex_lock(&me->mutex);
    if (me->queue == NULL)
      pthread_cond_wait(&me->cond, &me->mutex); // expect: cv-wait-no-predicate
    if (me->depth > 8)
      me->depth = 0;
    struct job* j = me->queue;
    me->queue = j->next;
    pthread_mutex_unlock(&me->mutex);
    run_job(j);
  }
  return NULL;
}
