// A detached thread writes; main sleeps and reads: sleeping orders nothing.
// race: global 'status'
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
int status;
pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
int done;
static void* work(void* arg) {
  (void)arg;
  status = 1;
  pthread_mutex_lock(&done_lock);
  done = 1;
  pthread_mutex_unlock(&done_lock);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  usleep(1000);
  printf("%d\n", status >= 0);
  pthread_join(t, NULL);
  return 0;
}
