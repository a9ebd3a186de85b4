// An event loop thread waits in poll() with a timeout on an eventfd that main signals three
// times; on each timeout it counts a tick and waits again. poll's timeout runs on the
// scheduler's virtual time: it may expire at any point where the eventfd is not readable, so the
// loop must not take a timeout for "no more events". Bug: this one does.
#include <assert.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

enum { kEvents = 3 };

static int g_efd;
static uint64_t g_received;
static int g_ticks;

static void* loop(void* arg) {
  (void)arg;
  while (g_received < kEvents) {
    struct pollfd p = {g_efd, POLLIN, 0};
    int n = poll(&p, 1, 50);
    if (n == 0)
      break; // wrong: main may simply not have written yet
    uint64_t v = 0;
    if (read(g_efd, &v, sizeof v) == sizeof v)
      g_received += v;
  }
  return NULL;
}

int main(void) {
  g_efd = eventfd(0, 0);
  if (g_efd < 0)
    return 2;
  pthread_t t;
  if (pthread_create(&t, NULL, loop, NULL) != 0)
    return 2;
  for (int i = 0; i < kEvents; ++i) {
    uint64_t one = 1;
    assert(write(g_efd, &one, sizeof one) == sizeof one);
    sched_yield();
  }
  pthread_join(t, NULL);
  assert(g_received == kEvents);
  close(g_efd);
  return 0;
}
