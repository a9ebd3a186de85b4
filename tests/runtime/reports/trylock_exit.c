// Reports (issue #14 item 10): main try-locks a mutex that a worker may hold, then locks it, and
// exits with a status that says whether the try-lock failed. Every schedule is an exit-status
// finding; between them, the try-lock both succeeds and fails, and the lock sometimes waits.
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void* holder(void* arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  usleep(1);
  pthread_mutex_unlock(&m);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, holder, NULL);
  int busy = pthread_mutex_trylock(&m);
  if (!busy)
    pthread_mutex_unlock(&m);
  pthread_mutex_lock(&m);
  pthread_mutex_unlock(&m);
  pthread_join(t, NULL);
  return busy ? 3 : 4;
}
