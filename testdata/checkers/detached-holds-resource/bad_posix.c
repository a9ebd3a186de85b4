// detached-holds-resource: detached POSIX and C11 threads that run forever or return holding a
// lock. At exit a daemon thread is killed mid-work (half-written output, a lock held for good that
// atexit handlers and static destructors then block on); a lock it leaked blocks everybody else.
#include "daemon.h"

#include <stdio.h>
#include <threads.h>
#include <unistd.h>

static pthread_mutex_t g_out_mu = PTHREAD_MUTEX_INITIALIZER;
static FILE* g_out;
static int g_out_ready;

// case: bad
// The flusher returns early with the output lock held (some path).
static void* flush_worker(void* arg) {
  (void)arg;
  pthread_mutex_lock(&g_out_mu);
  if (!g_out_ready)
    return NULL; // expect: lock-not-released
  fflush(g_out);
  pthread_mutex_unlock(&g_out_mu);
  return NULL;
}

int start_flush(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, flush_worker, NULL) != 0) // expect: detached-holds-resource
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: bad
// A logger loop with no exit, started detached through the attribute.
static void* log_pump(void* arg) {
  FILE* f = arg;
  while (1) {
    pthread_mutex_lock(&g_out_mu);
    fputs("tick\n", f);
    pthread_mutex_unlock(&g_out_mu);
    sleep(1);
  }
  return NULL;
}

int start_log_pump(FILE* f) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, log_pump, f); // expect: detached-holds-resource
  pthread_attr_destroy(&attr);
  return rc;
}

// case: bad
// The entry is in another file (daemon_entry.c) and never returns.
int start_metrics(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, metrics_daemon, NULL) != 0) // expect: detached-holds-resource
    return -1;
  return pthread_detach(tid);
}

// case: bad
// The report thread takes the stats lock through the wrapper and never gives it back: every other
// stats_lock() caller then blocks forever.
static void* report_stats(void* arg) {
  (void)arg;
  stats_lock();
  printf("%ld samples\n", g_stats_samples);
  return NULL;
}

int start_report(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, report_stats, NULL) != 0) // expect: detached-holds-resource
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: bad
// C11: a watchdog that loops forever, detached.
static mtx_t g_watch_mu;
static int g_watch_beats;

static int watchdog(void* arg) {
  (void)arg;
  for (;;) {
    mtx_lock(&g_watch_mu);
    ++g_watch_beats;
    mtx_unlock(&g_watch_mu);
    thrd_sleep(&(struct timespec){.tv_sec = 1}, NULL);
  }
}

int start_watchdog(void) {
  if (mtx_init(&g_watch_mu, mtx_plain) != thrd_success)
    return -1;
  thrd_t t;
  if (thrd_create(&t, watchdog, NULL) != thrd_success) // expect: detached-holds-resource
    return -1;
  thrd_detach(t);
  return 0;
}

// case: bad
// A try-lock that succeeded is kept when the buffer is empty.
static pthread_mutex_t g_buf_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_buf_len;

static void* drain_buffer(void* arg) {
  (void)arg;
  if (pthread_mutex_trylock(&g_buf_mu) != 0)
    return NULL;
  if (g_buf_len == 0)
    return NULL; // expect: lock-not-released
  g_buf_len = 0;
  pthread_mutex_unlock(&g_buf_mu);
  return NULL;
}

int start_drain(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, drain_buffer, NULL) != 0) // expect: detached-holds-resource
    return -1;
  pthread_detach(tid);
  return 0;
}
