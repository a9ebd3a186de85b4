// The fixed twin of exitcode_bug.c: the writer updates the value in one critical section, so
// the checker never sees it half updated and never exits.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static int value; // 0, then 2; 1 only halfway

static void* writer(void* arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  value = 1;
  value = 2; // one critical section: nobody sees 1
  pthread_mutex_unlock(&m);
  return NULL;
}

static int seen;

static void* checker(void* arg) {
  (void)arg;
  pthread_mutex_lock(&m);
  seen = value;
  pthread_mutex_unlock(&m);
  return NULL;
}

int main(void) {
  pthread_t w, c;
  pthread_create(&w, NULL, writer, NULL);
  pthread_create(&c, NULL, checker, NULL);
  pthread_join(w, NULL);
  pthread_join(c, NULL);
  if (seen == 1) {
    fprintf(stderr, "checker saw the value half updated\n");
    exit(3);
  }
  return 0;
}
