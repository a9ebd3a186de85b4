// A pool of two connections; every worker releases its connection exactly once.
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t pool;

static int query(int id) {
  return id == 1 ? -1 : 0;
} // worker 1's query fails

static void* worker(void* arg) {
  int id = (int)(long)arg;
  sem_wait(&pool);
  if (query(id) != 0) {
    fprintf(stderr, "worker %d: query failed\n", id);
  }
  sem_post(&pool);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  sem_init(&pool, 0, 2);
  for (long i = 0; i < 2; ++i)
    pthread_create(&t[i], NULL, worker, (void*)i);
  for (int i = 0; i < 2; ++i)
    pthread_join(t[i], NULL);
  sem_destroy(&pool);
  return 0;
}
