// Two threads write a field of the same heap object.
// race: heap block
#include <pthread.h>
#include <stdlib.h>
struct account {
  long id;
  long balance;
};
static void* deposit(void* arg) {
  struct account* a = arg;
  a->balance += 10;
  return NULL;
}
int main(void) {
  struct account* a = calloc(1, sizeof *a);
  pthread_t t;
  pthread_create(&t, NULL, deposit, a);
  a->balance += 20;
  pthread_join(t, NULL);
  free(a);
  return 0;
}
