// thread-not-joined and handles of threads that never end: memcached's extstore starts its IO
// threads with one local pthread_t reused for each, never joined, because their entries loop
// forever. Such a thread cannot be joined (the join would never return) and lives until the
// process ends, so dropping its handle leaks nothing. A thread whose entry returns still needs a
// join or a detach.
#include <pthread.h>
#include <stddef.h>

struct io_thread {
  pthread_mutex_t mutex;
  pthread_cond_t cond;
  int queue;
};

// case: support
static void* io_main(void* arg) {
  struct io_thread* me = arg;
  while (1) {
    pthread_mutex_lock(&me->mutex);
    while (me->queue == 0)
      pthread_cond_wait(&me->cond, &me->mutex);
    me->queue--;
    pthread_mutex_unlock(&me->mutex);
  }
  return NULL;
}

// case: support
static void* batch_main(void* arg) {
  struct io_thread* me = arg;
  pthread_mutex_lock(&me->mutex);
  me->queue = 0;
  pthread_mutex_unlock(&me->mutex);
  return NULL;
}

// case: good
void start_io_threads(struct io_thread* threads, int n) {
  pthread_t thread;
  for (int i = 0; i < n; i++)
    pthread_create(&thread, NULL, io_main, &threads[i]);
}

// case: bad
// The batch thread returns: its handle is overwritten unjoined.
void start_batches(struct io_thread* threads) {
  pthread_t thread;
  pthread_create(&thread, NULL, batch_main, &threads[0]);
  pthread_create(&thread, NULL, batch_main, &threads[1]); // expect: thread-not-joined
  pthread_detach(thread);
}
