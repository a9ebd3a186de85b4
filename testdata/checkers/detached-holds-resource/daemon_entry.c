// Entries for detached threads started in other files (cross-translation-unit summaries).
#include "daemon.h"

#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t g_stats_mu = PTHREAD_MUTEX_INITIALIZER;
long g_stats_samples = 0;

// case: support
// Never returns: killed wherever it happens to be when main returns.
void* metrics_daemon(void* arg) {
  (void)arg;
  for (;;) {
    stats_lock();
    ++g_stats_samples;
    stats_unlock();
    sleep(1);
  }
}

void* metrics_snapshot(void* arg) {
  (void)arg;
  stats_lock();
  ++g_stats_samples;
  stats_unlock();
  return NULL;
}

static int accept_client(int port) {
  return port > 0 ? port : -1;
}

void serve_forever(int port) {
  for (;;) {
    int fd = accept_client(port);
    if (fd < 0)
      continue;
    printf("client %d\n", fd);
  }
}

void serve_until_closed(int port) {
  for (;;) {
    int fd = accept_client(port);
    if (fd < 0)
      break;
    printf("client %d\n", fd);
  }
}

void stats_lock(void) {
  pthread_mutex_lock(&g_stats_mu);
}

void stats_unlock(void) {
  pthread_mutex_unlock(&g_stats_mu);
}
