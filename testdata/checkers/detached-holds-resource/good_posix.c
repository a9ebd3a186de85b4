// detached-holds-resource: detached threads that do bounded work and release what they take, loops
// with a way out, and a joined thread that loops forever (a different problem, not this check's).
#define _DEFAULT_SOURCE // usleep under -std=c11
#include "daemon.h"

#include <stdatomic.h>
#include <stdio.h>
#include <threads.h>
#include <unistd.h>

static pthread_mutex_t g_jobs_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_jobs;
static atomic_int g_stop_sampler;

// case: good
// Balanced lock and unlock on every path of the detached entry.
static void* count_job(void* arg) {
  int n = *(const int*)arg;
  pthread_mutex_lock(&g_jobs_mu);
  if (n <= 0) {
    pthread_mutex_unlock(&g_jobs_mu);
    return NULL;
  }
  g_jobs += n;
  pthread_mutex_unlock(&g_jobs_mu);
  return NULL;
}

int start_count_job(void) {
  static const int one = 1;
  pthread_t tid;
  if (pthread_create(&tid, NULL, count_job, (void*)&one) != 0)
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: good
// A sampler loop that ends when the stop flag is set.
static void* sampler(void* arg) {
  (void)arg;
  while (!atomic_load(&g_stop_sampler)) {
    stats_lock();
    ++g_stats_samples;
    stats_unlock();
    usleep(1000);
  }
  return NULL;
}

int start_sampler(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, sampler, NULL) != 0)
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: good
// The entry in daemon_entry.c pairs the wrappers and returns.
int take_snapshot_async(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, metrics_snapshot, NULL) != 0)
    return -1;
  return pthread_detach(tid);
}

// case: good
// A reader loop that returns when the input ends.
static void* echo_lines(void* arg) {
  FILE* in = arg;
  char line[256];
  for (;;) {
    if (!fgets(line, sizeof line, in))
      return NULL;
    pthread_mutex_lock(&g_jobs_mu);
    ++g_jobs;
    pthread_mutex_unlock(&g_jobs_mu);
  }
}

int start_echo(FILE* in) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, echo_lines, in);
  pthread_attr_destroy(&attr);
  return rc;
}

// case: good
// An infinite loop in a joined thread: not a daemon (the join would block, but nothing is killed).
int run_metrics_in_foreground(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, metrics_daemon, NULL) != 0)
    return -1;
  pthread_join(tid, NULL);
  return 0;
}

// case: good
// The try-lock failure returns without the lock; the success path unlocks.
static void* try_count(void* arg) {
  (void)arg;
  if (pthread_mutex_trylock(&g_jobs_mu) != 0)
    return NULL;
  ++g_jobs;
  pthread_mutex_unlock(&g_jobs_mu);
  return NULL;
}

int start_try_count(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, try_count, NULL) != 0)
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: good
// A bounded retry loop.
static void* retry_send(void* arg) {
  int attempts = *(const int*)arg;
  for (int i = 0; i < attempts; ++i) {
    pthread_mutex_lock(&g_jobs_mu);
    int done = g_jobs > 0;
    pthread_mutex_unlock(&g_jobs_mu);
    if (done)
      break;
    usleep(100);
  }
  return NULL;
}

int start_retry_send(void) {
  static const int three = 3;
  pthread_t tid;
  if (pthread_create(&tid, NULL, retry_send, (void*)&three) != 0)
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: good
// C11: detached, bounded, balanced.
static mtx_t g_c11_mu;
static int g_c11_count;

static int c11_bump(void* arg) {
  (void)arg;
  mtx_lock(&g_c11_mu);
  ++g_c11_count;
  mtx_unlock(&g_c11_mu);
  return 0;
}

int start_c11_bump(void) {
  if (mtx_init(&g_c11_mu, mtx_plain) != thrd_success)
    return -1;
  thrd_t t;
  if (thrd_create(&t, c11_bump, NULL) != thrd_success)
    return -1;
  thrd_detach(t);
  return 0;
}
