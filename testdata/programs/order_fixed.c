// The configuration exists before the thread that uses it starts.
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
  struct config* c = malloc(sizeof *c);
  c->verbosity = 2;
  cfg = c;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  free(c);
  return 0;
}
