// cv-mixed-mutexes: POSIX and C11 condition variables waited on with two mutexes.
#include <pthread.h>
#include <threads.h>
#include <time.h>

pthread_mutex_t g_queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_third_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t g_changed = PTHREAD_COND_INITIALIZER;
int g_items;
int g_lines;

// case: bad
// One global condition variable, two global mutexes.
void wait_items(void) {
  pthread_mutex_lock(&g_queue_lock);
  while (g_items == 0)
    pthread_cond_wait(&g_changed, &g_queue_lock);
  pthread_mutex_unlock(&g_queue_lock);
}
void wait_lines(void) {
  pthread_mutex_lock(&g_log_lock);
  while (g_lines == 0)
    pthread_cond_wait(&g_changed, &g_log_lock); // expect: cv-mixed-mutexes
  pthread_mutex_unlock(&g_log_lock);
}

// case: bad
// A third mutex on the same condition variable: one more finding, at its first wait.
void wait_both(void) {
  pthread_mutex_lock(&g_third_lock);
  while (g_items == 0 || g_lines == 0)
    pthread_cond_wait(&g_changed, &g_third_lock); // expect: cv-mixed-mutexes
  pthread_mutex_unlock(&g_third_lock);
}

static pthread_mutex_t s_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t s_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cv = PTHREAD_COND_INITIALIZER;
static int s_state;

// case: bad
// A file-local condition variable: a timed wait with s_a, a plain wait with s_b.
int wait_state_for(const struct timespec* deadline) {
  int rc = 0;
  pthread_mutex_lock(&s_a);
  while (s_state == 0 && rc == 0)
    rc = pthread_cond_timedwait(&s_cv, &s_a, deadline);
  pthread_mutex_unlock(&s_a);
  return rc;
}
void wait_state(void) {
  pthread_mutex_lock(&s_b);
  while (s_state == 0)
    pthread_cond_wait(&s_cv, &s_b); // expect: cv-mixed-mutexes
  pthread_mutex_unlock(&s_b);
}

struct device {
  pthread_mutex_t io_lock;
  pthread_mutex_t cfg_lock;
  pthread_cond_t idle;
  int busy;
  int reconfiguring;
};

// case: bad
// A member condition variable: 'device::idle' with io_lock and with cfg_lock, through two
// different device pointers (the declaration is what counts).
void device_wait_io(struct device* d) {
  pthread_mutex_lock(&d->io_lock);
  while (d->busy)
    pthread_cond_wait(&d->idle, &d->io_lock);
  pthread_mutex_unlock(&d->io_lock);
}
void device_wait_cfg(struct device* other) {
  pthread_mutex_lock(&other->cfg_lock);
  while (other->reconfiguring)
    pthread_cond_wait(&other->idle, &other->cfg_lock); // expect: cv-mixed-mutexes
  pthread_mutex_unlock(&other->cfg_lock);
}

struct job {
  mtx_t m;
  mtx_t m2;
  cnd_t done_cv;
  int done;
};

// case: bad
// C11: cnd_wait with one mtx_t, cnd_timedwait with another.
void job_wait(struct job* j) {
  mtx_lock(&j->m);
  while (!j->done)
    cnd_wait(&j->done_cv, &j->m);
  mtx_unlock(&j->m);
}
int job_wait_until(struct job* j, const struct timespec* deadline) {
  int rc = thrd_success;
  mtx_lock(&j->m2);
  while (!j->done && rc == thrd_success)
    rc = cnd_timedwait(&j->done_cv, &j->m2, deadline); // expect: cv-mixed-mutexes
  mtx_unlock(&j->m2);
  return rc;
}

pthread_cond_t g_slots[4];
pthread_mutex_t g_slot_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_admin_lock = PTHREAD_MUTEX_INITIALIZER;
int g_slot_full[4];

// case: bad
// Elements of one array of condition variables, waited on with two mutexes.
void slot_wait(int i) {
  pthread_mutex_lock(&g_slot_lock);
  while (!g_slot_full[i])
    pthread_cond_wait(&g_slots[i], &g_slot_lock);
  pthread_mutex_unlock(&g_slot_lock);
}
void slot_wait_admin(void) {
  pthread_mutex_lock(&g_admin_lock);
  while (!g_slot_full[0])
    pthread_cond_wait(&g_slots[0], &g_admin_lock); // expect: cv-mixed-mutexes
  pthread_mutex_unlock(&g_admin_lock);
}

// case: bad
// A static local condition variable used in two branches with two mutexes.
void wait_local_static(int which) {
  static pthread_mutex_t m1 = PTHREAD_MUTEX_INITIALIZER;
  static pthread_mutex_t m2 = PTHREAD_MUTEX_INITIALIZER;
  static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
  static int flag;
  if (which) {
    pthread_mutex_lock(&m1);
    while (!flag)
      pthread_cond_wait(&cv, &m1);
    pthread_mutex_unlock(&m1);
  } else {
    pthread_mutex_lock(&m2);
    while (!flag)
      pthread_cond_wait(&cv, &m2); // expect: cv-mixed-mutexes
    pthread_mutex_unlock(&m2);
  }
}
