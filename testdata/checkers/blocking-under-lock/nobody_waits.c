// blocking-under-lock and locks that no thread ever waits for. libuv's test-mutexes.c probes a
// rwlock from two threads with tryrdlock/trywrlock only and hands control back and forth through
// a condition variable whose wait releases the other mutex: the rwlock is held across that wait,
// but a try-lock never waits, so nobody is stalled. A lock that some code locks with a waiting
// call, or that an unknown pointer may designate, is still reported.
#define _GNU_SOURCE
#include <pthread.h>
#include <unistd.h>

// case: support
static int wake_fd; // a pipe's read end
static char wake;

static pthread_mutex_t turn_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cond = PTHREAD_COND_INITIALIZER;
static int step;
static pthread_rwlock_t probe = PTHREAD_RWLOCK_INITIALIZER;

// case: support
// Called with turn_mutex held: signal the peer and wait for its step.
static void hand_over(void) {
  int current = step++;
  pthread_cond_signal(&turn_cond);
  while (step == current + 1)
    pthread_cond_wait(&turn_cond, &turn_mutex);
}

// case: good
// The probed rwlock is try-locked everywhere: holding it across the hand-over stalls nobody.
void* probe_peer(void* arg) {
  (void)arg;
  pthread_mutex_lock(&turn_mutex);
  if (pthread_rwlock_tryrdlock(&probe) == 0) {
    hand_over();
    pthread_rwlock_unlock(&probe);
  }
  pthread_mutex_unlock(&turn_mutex);
  return NULL;
}

// case: good
int probe_main(void) {
  pthread_t peer;
  pthread_mutex_lock(&turn_mutex);
  if (pthread_create(&peer, NULL, probe_peer, NULL) != 0) {
    pthread_mutex_unlock(&turn_mutex);
    return -1;
  }
  if (pthread_rwlock_trywrlock(&probe) == 0) {
    hand_over();
    pthread_rwlock_unlock(&probe);
  }
  pthread_mutex_unlock(&turn_mutex);
  return pthread_join(peer, NULL);
}

static pthread_mutex_t stats_mutex = PTHREAD_MUTEX_INITIALIZER;
static long stats;

// case: support
void stats_add(long n) {
  pthread_mutex_lock(&stats_mutex);
  stats += n;
  pthread_mutex_unlock(&stats_mutex);
}

// case: bad
// Try-locked here, but stats_add waits for it: its callers stall until the pipe has a byte.
void stats_flush_slowly(void) {
  if (pthread_mutex_trylock(&stats_mutex) != 0)
    return;
  read(wake_fd, &wake, 1); // expect: blocking-under-lock
  stats = 0;
  pthread_mutex_unlock(&stats_mutex);
}

struct table {
  pthread_mutex_t lock;
  int size;
};

static pthread_mutex_t resize_mutex = PTHREAD_MUTEX_INITIALIZER;

// case: support
// Locks whatever mutex it is handed: any mutex may be waited for here.
void lock_any(pthread_mutex_t* m) {
  pthread_mutex_lock(m);
}

// case: support
pthread_mutex_t* pick(int i);

// case: support
void lock_picked(int i) {
  pthread_mutex_t* m = pick(i);
  pthread_mutex_lock(m);
}

// case: bad
// Only try-locked by name, but lock_picked waits for a mutex it cannot name: maybe this one.
void resize_slowly(struct table* t) {
  if (pthread_mutex_trylock(&resize_mutex) != 0)
    return;
  read(wake_fd, &wake, 1); // expect: blocking-under-lock
  t->size *= 2;
  pthread_mutex_unlock(&resize_mutex);
}

// case: bad
// A member some caller may lock with lock_any(&t->lock).
void table_wait(struct table* t) {
  if (pthread_mutex_trylock(&t->lock) != 0)
    return;
  read(wake_fd, &wake, 1); // expect: blocking-under-lock
  pthread_mutex_unlock(&t->lock);
}

// case: support
void table_use(struct table* t) {
  lock_any(&t->lock);
  t->size++;
  pthread_mutex_unlock(&t->lock);
}
