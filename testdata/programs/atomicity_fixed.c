// The check and the use under the lock that also guards closing.
#include <pthread.h>
#include <stdio.h>

struct log {
  char* volatile out; // volatile: the check and the use are two loads, as written
  int written;
};
static char storage[64];
static struct log journal = {storage, 0};
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void* logger(void* arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  if (journal.out != NULL)
    journal.out[journal.written++] = 'x';
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void* closer(void* arg) {
  (void)arg;
  pthread_mutex_lock(&lock);
  journal.out = NULL;
  pthread_mutex_unlock(&lock);
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
