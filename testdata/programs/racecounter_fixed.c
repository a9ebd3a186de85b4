// The check and the act under one lock.
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static int tickets = 1;
static int sold = 0;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void* buyer(void* arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  if (tickets > 0) {
    tickets--;
    sold++;
  }
  pthread_mutex_unlock(&lock);
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
