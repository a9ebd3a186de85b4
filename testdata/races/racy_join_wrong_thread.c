// main joins one worker but reads what the other, not yet joined, writes.
// race: global 'second_result'
#include <pthread.h>
#include <stdio.h>
int first_result, second_result;
static void* first(void* arg) {
  (void)arg;
  first_result = 1;
  return NULL;
}
static void* second(void* arg) {
  (void)arg;
  second_result = 2;
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, first, NULL);
  pthread_create(&b, NULL, second, NULL);
  pthread_join(a, NULL);
  printf("%d\n", first_result + second_result > 0);
  pthread_join(b, NULL);
  return 0;
}
