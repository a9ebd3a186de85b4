// The thread is joined exactly once.
#include <pthread.h>
#include <stdio.h>

static void* work(void* arg) {
  (void)arg;
  puts("working");
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  pthread_join(t, NULL);
  return 0;
}
