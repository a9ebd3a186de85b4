// A thread is joined twice: once by the cleanup path and once more at the end.
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
  pthread_join(t, NULL); // cleanup path
  pthread_join(t, NULL); // end of main
  return 0;
}
