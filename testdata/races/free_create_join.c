// Race-free through thread creation and join alone.
#include <pthread.h>
#include <stdlib.h>
struct job {
  int input;
  int output;
};
static void* work(void* arg) {
  struct job* j = arg;
  j->output = j->input * 2;
  return NULL;
}
int main(void) {
  struct job* j = malloc(sizeof *j);
  j->input = 21;
  pthread_t t;
  pthread_create(&t, NULL, work, j);
  pthread_join(t, NULL);
  int out = j->output;
  free(j);
  return out == 42 ? 0 : 1;
}
