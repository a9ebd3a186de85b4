// The once routine initialises the table, but one thread also writes it outside.
// race: global 'ranges'
#include <pthread.h>
int ranges[4];
pthread_once_t once = PTHREAD_ONCE_INIT;
static void init(void) {
  ranges[0] = 1;
}
static void* work(void* arg) {
  (void)arg;
  pthread_once(&once, init);
  ranges[1] = 2;
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
