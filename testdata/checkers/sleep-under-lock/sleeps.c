// sleep-under-lock: a timed sleep while holding a lock that other code waits for delays all of
// that code by the sleep's length. It is its own check, off by default: the sleep waits for no
// other party, so it cannot deadlock, and maintenance threads that pace themselves under their
// own lock (memcached's, say) do it on purpose.
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <unistd.h>

struct server {
  pthread_mutex_t lock;
  int clients;
};

// case: support
void server_add(struct server* s) {
  pthread_mutex_lock(&s->lock);
  s->clients++;
  pthread_mutex_unlock(&s->lock);
}

// case: bad
// Retry back-off that sleeps with the server lock held.
void server_backoff(struct server* s) {
  pthread_mutex_lock(&s->lock);
  s->clients--;
  sleep(1); // expect: sleep-under-lock
  pthread_mutex_unlock(&s->lock);
}

// case: bad
void server_throttle(struct server* s) {
  pthread_mutex_lock(&s->lock);
  if (s->clients > 100)
    usleep(1000); // expect: sleep-under-lock
  pthread_mutex_unlock(&s->lock);
}

// case: bad
void server_tick(struct server* s) {
  struct timespec ts = {0, 5000000};
  pthread_mutex_lock(&s->lock);
  nanosleep(&ts, NULL); // expect: sleep-under-lock
  pthread_mutex_unlock(&s->lock);
}

// case: support
static void pace(void) {
  usleep(500);
}

// case: bad
// The sleep is inside a helper: reported at the call.
void server_paced_scan(struct server* s) {
  pthread_mutex_lock(&s->lock);
  pace(); // expect: sleep-under-lock
  pthread_mutex_unlock(&s->lock);
}

// case: support
static pthread_t reaper;

// case: support
// Sleeps, then waits for another thread: the wait is what matters to its callers.
static void pace_then_reap(void) {
  usleep(500);
  pthread_join(reaper, NULL);
}

// case: bad
void server_reap(struct server* s) {
  pthread_mutex_lock(&s->lock);
  pace_then_reap(); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
}

// case: good
// Back-off with the lock released.
void server_backoff_unlocked(struct server* s) {
  while (pthread_mutex_trylock(&s->lock) != 0)
    usleep(100);
  s->clients--;
  pthread_mutex_unlock(&s->lock);
}

// case: good
void server_sleep_after(struct server* s) {
  pthread_mutex_lock(&s->lock);
  s->clients = 0;
  pthread_mutex_unlock(&s->lock);
  sleep(1);
}

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;

// case: good
// A lock that every piece of code only try-locks: nobody waits while this sleeps.
int probe_slowly(void) {
  if (pthread_mutex_trylock(&probe_lock) != 0)
    return -1;
  usleep(100);
  pthread_mutex_unlock(&probe_lock);
  return 0;
}
