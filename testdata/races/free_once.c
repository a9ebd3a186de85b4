// Race-free through pthread_once: every thread reads what the once routine wrote.
#include <pthread.h>
int table[4];
int seen[2];
pthread_once_t once = PTHREAD_ONCE_INIT;
static void init(void) {
  table[0] = 7;
}
static void* work(void* arg) {
  int i = (int)(long)arg;
  pthread_once(&once, init);
  seen[i] = table[0];
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, (void*)0);
  pthread_create(&b, NULL, work, (void*)1);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return seen[0] == 7 && seen[1] == 7 ? 0 : 1;
}
