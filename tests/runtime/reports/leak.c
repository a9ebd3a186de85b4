// Thread leaks at exit, each kind: a detached logger still running (it sleeps in a loop), a
// joinable thread that finished but was never joined. The report must show where each one is
// (the logger in its loop) or which function it ran, and where it was created.
#include <pthread.h>
#include <unistd.h>

static void* logger(void* arg) {
  (void)arg;
  for (;;)
    usleep(1000);
  return NULL;
}

static void* idle(void* arg) {
  return arg;
}

int main(void) {
  pthread_t l, i;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&l, &attr, logger, NULL);
  pthread_create(&i, NULL, idle, NULL);
  usleep(10);
  return 0;
}
