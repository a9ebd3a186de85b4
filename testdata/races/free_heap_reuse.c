// Race-free: blocks freed by one thread and handed out again to another are new memory.
#include <pthread.h>
#include <stdlib.h>
static void* churn(void* arg) {
  (void)arg;
  for (int i = 0; i < 4; ++i) {
    int* p = malloc(32);
    p[0] = i;
    free(p);
  }
  return NULL;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, churn, NULL);
  pthread_create(&b, NULL, churn, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
