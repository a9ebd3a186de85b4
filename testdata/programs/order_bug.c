// Order violation: the worker uses the configuration that main initialises only after starting it.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct config {
  int verbosity;
};
static struct config* volatile cfg = NULL;

static void* worker(void* arg) {
  (void)arg;
  printf("verbosity %d\n", cfg->verbosity);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  struct config* c = malloc(sizeof *c);
  c->verbosity = 2;
  cfg = c;
  pthread_join(t, NULL);
  free(c);
  return 0;
}
