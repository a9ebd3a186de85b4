// Unprotected check-then-act: two threads reserve the last ticket. The log call (a usleep
// standing in for real logging) widens the window between the check and the act.
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int tickets = 1;
static int sold = 0;

static void* buyer(void* arg) {
  (void)arg;
  if (tickets > 0) {
    usleep(10); // "log the sale"
    tickets--;
    sold++;
  }
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, buyer, NULL);
  pthread_create(&b, NULL, buyer, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("sold %d tickets\n", sold);
  assert(sold <= 1 && "oversold the last ticket");
  return 0;
}
