// Atomicity violation (the MySQL pattern): the logger checks the output pointer and then uses it;
// closing the log in between makes it use NULL.
#include <pthread.h>
#include <stdio.h>

struct log {
  char* volatile out; // volatile: the check and the use are two loads, as written
  int written;
};
static char storage[64];
static struct log journal = {storage, 0};

static void* logger(void* arg) {
  (void)arg;
  if (journal.out != NULL)
    journal.out[journal.written++] = 'x';
  return NULL;
}

static void* closer(void* arg) {
  (void)arg;
  journal.out = NULL;
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, logger, NULL);
  pthread_create(&b, NULL, closer, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("written %d\n", journal.written);
  return 0;
}
