// Functions that return holding a lock only on success: an "enter once" helper, a try-lock
// wrapper, and a lock function returning an error code. The callers follow the returned value.
#include <pthread.h>
#include <stdbool.h>

struct init_state {
  pthread_mutex_t mu;
  int done;
};

// case: support
// Returns true with mu held when the caller must run the initialisation; false, unlocked, when it
// already ran.
static bool enter_once(struct init_state* s) {
  pthread_mutex_lock(&s->mu);
  if (s->done) {
    pthread_mutex_unlock(&s->mu);
    return false;
  }
  return true;
}

static void leave_once(struct init_state* s) {
  s->done = 1;
  pthread_mutex_unlock(&s->mu);
}

// Lock wrapper with an error code (0: locked).
static int table_lock(pthread_mutex_t* m) { return pthread_mutex_lock(m); }

// Try-lock wrapper: true when locked.
static bool table_try_lock(pthread_mutex_t* m) { return pthread_mutex_trylock(m) == 0; }

static struct init_state g_init = {PTHREAD_MUTEX_INITIALIZER, 0};
static pthread_mutex_t g_table_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_table[16];

// case: good
void table_init(void) {
  if (enter_once(&g_init)) {
    for (int i = 0; i < 16; i++)
      g_table[i] = i;
    leave_once(&g_init);
  }
}

// case: good
int table_get(int i) {
  if (table_lock(&g_table_mu) != 0)
    return -1;
  int v = g_table[i & 15];
  pthread_mutex_unlock(&g_table_mu);
  return v;
}

// case: good
int table_poll(int i) {
  if (!table_try_lock(&g_table_mu))
    return -1;
  int v = g_table[i & 15];
  pthread_mutex_unlock(&g_table_mu);
  return v;
}

// case: bad
// Unlocks even when the try-lock failed: the mutex belongs to another thread.
void table_poke(int i, int v) {
  bool ok = table_try_lock(&g_table_mu);
  if (ok)
    g_table[i & 15] = v;
  pthread_mutex_unlock(&g_table_mu); // expect: unlock-not-held
}
