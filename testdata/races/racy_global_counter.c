// Two threads increment a plain global counter.
// race: global 'counter'
#include <pthread.h>
#include <stdio.h>
int counter;
static void* work(void* arg) {
  (void)arg;
  counter++;
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  counter++;
  pthread_join(t, NULL);
  printf("%d\n", counter > 0);
  return 0;
}
