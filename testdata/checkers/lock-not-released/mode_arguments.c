// lock-not-released, unlock-not-held and double-lock through a mode argument: a function that
// locks or unlocks by a mode its caller passes as a constant (memcached's
// pause_threads(PAUSE_ALL_THREADS) ... pause_threads(RESUME_ALL_THREADS), a switch with
// fall-through; a bool gate) is judged at each call for that mode, and a sentinel argument that
// makes a callee return early (handler(-42, ...)) takes that branch only.
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

enum pause_mode { PAUSE_ALL, PAUSE_WORKERS, RESUME_ALL, RESUME_WORKERS };

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t workers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static int table_size;
static int gated;

// case: support
static void stats_pause(void) {
  pthread_mutex_lock(&stats_lock);
}

// case: support
static void stats_resume(void) {
  pthread_mutex_unlock(&stats_lock);
}

// case: support
// Takes the locks for a pause mode and releases them for a resume mode: its callers pair them.
void pause_threads(enum pause_mode mode) {
  switch (mode) {
  case PAUSE_ALL:
    stats_pause();
    /* fall through */
  case PAUSE_WORKERS:
    pthread_mutex_lock(&workers_lock);
    break;
  case RESUME_ALL:
    stats_resume();
    /* fall through */
  case RESUME_WORKERS:
    pthread_mutex_unlock(&workers_lock);
    break;
  default:
    break;
  }
}

// case: good
void expand_table(void) {
  pause_threads(PAUSE_ALL);
  table_size *= 2;
  pause_threads(RESUME_ALL);
}

// case: good
void* resize_workers(void* arg) {
  pause_threads(PAUSE_WORKERS);
  table_size += 1;
  pause_threads(RESUME_WORKERS);
  return arg;
}

// case: good
// The same order as pause_threads(PAUSE_ALL) takes them.
void* expand_and_count(void* arg) {
  pause_threads(PAUSE_ALL);
  table_size *= 2;
  pause_threads(RESUME_ALL);
  pthread_mutex_lock(&stats_lock);
  pthread_mutex_lock(&workers_lock);
  table_size++;
  pthread_mutex_unlock(&workers_lock);
  pthread_mutex_unlock(&stats_lock);
  return arg;
}

// case: bad
// Paused all, and on the error path resumed the workers only: stats_lock stays locked there.
int expand_wrong_resume(int factor) {
  pause_threads(PAUSE_ALL);
  if (factor <= 0) {
    pause_threads(RESUME_WORKERS);
    return -1; // expect: lock-not-released
  }
  table_size *= factor;
  pause_threads(RESUME_ALL);
  return 0;
}

// case: bad
// Resumes workers it has already released.
void* resume_twice(void* arg) {
  pause_threads(PAUSE_WORKERS);
  table_size = 0;
  pause_threads(RESUME_WORKERS);
  pause_threads(RESUME_WORKERS); // expect: unlock-not-held
  return arg;
}

// case: bad
void* pause_twice(void* arg) {
  pause_threads(PAUSE_WORKERS);
  pause_threads(PAUSE_WORKERS); // expect: double-lock
  pause_threads(RESUME_WORKERS);
  return arg;
}

// case: support
static void set_gate(bool closed) {
  if (closed)
    pthread_mutex_lock(&gate_lock);
  else
    pthread_mutex_unlock(&gate_lock);
}

// case: good
void* gated_update(void* arg) {
  set_gate(true);
  gated++;
  set_gate(false);
  return arg;
}

// case: bad
int gate_left_closed(int v) {
  set_gate(true);
  if (v < 0)
    return -1; // expect: lock-not-released
  gated += v;
  set_gate(false);
  return 0;
}

void accept_new_conns(bool enable);

// case: support
// An event handler that an internal caller also invokes with a sentinel descriptor, to run only
// its bookkeeping; a real event re-enables accepting, which takes conn_lock.
static void drive_machine(int fd, short which, void* arg) {
  (void)which;
  (void)arg;
  if (fd == -42)
    return;
  accept_new_conns(true);
}

// case: support
static void do_accept_new_conns(bool enable) {
  if (!enable)
    drive_machine(-42, 0, NULL);
}

// case: good
// drive_machine(-42, ...) returns before it would take conn_lock again.
void accept_new_conns(bool enable) {
  pthread_mutex_lock(&conn_lock);
  do_accept_new_conns(enable);
  pthread_mutex_unlock(&conn_lock);
}

// case: bad
void accept_and_dispatch(int fd) {
  pthread_mutex_lock(&conn_lock);
  drive_machine(fd, 0, NULL); // expect: double-lock
  pthread_mutex_unlock(&conn_lock);
}

int main(void) {
  pthread_t t[6];
  pthread_create(&t[0], NULL, resize_workers, NULL);
  pthread_create(&t[1], NULL, expand_and_count, NULL);
  pthread_create(&t[2], NULL, gated_update, NULL);
  pthread_create(&t[3], NULL, resume_twice, NULL);
  pthread_create(&t[4], NULL, pause_twice, NULL);
  pthread_create(&t[5], NULL, gated_update, NULL);
  for (int i = 0; i < 6; i++)
    pthread_join(t[i], NULL);
  expand_table();
  expand_wrong_resume(2);
  gate_left_closed(1);
  accept_and_dispatch(3);
  accept_new_conns(false);
  return 0;
}
