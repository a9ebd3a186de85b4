// A writer and a reader of a plain flag, nothing between them.
// race: global 'config_version'
#include <pthread.h>
#include <stdio.h>
int config_version;
static void* reload(void* arg) {
  (void)arg;
  config_version = 2;
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, reload, NULL);
  int v = config_version;
  pthread_join(t, NULL);
  printf("%d\n", v >= 0);
  return 0;
}
