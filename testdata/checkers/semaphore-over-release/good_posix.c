// semaphore-over-release: POSIX semaphores used within their size, or as signals.
#include <pthread.h>
#include <semaphore.h>

// case: good
// A signal: initialised to 0, posted as often as there are events.
void signal_events(int n) {
  sem_t s;
  sem_init(&s, 0, 0);
  for (int i = 0; i < n; i++)
    sem_post(&s);
  sem_post(&s);
  sem_destroy(&s);
}

// case: good
// A pool: wait, work, post.
void pool_use(void) {
  sem_t s;
  sem_init(&s, 0, 2);
  sem_wait(&s);
  sem_post(&s);
  sem_destroy(&s);
}

void* pool_worker(void* arg);

// case: good
// Once other threads use the pool, they may have taken from it before the post.
void pool_share(void) {
  sem_t s;
  pthread_t t;
  sem_init(&s, 0, 1);
  if (pthread_create(&t, 0, pool_worker, &s) != 0) {
    sem_destroy(&s);
    return;
  }
  sem_post(&s);
  pthread_join(t, 0);
  sem_destroy(&s);
}

// case: good
// A semaphore this function did not initialise: its size is unknown here.
void pool_return(sem_t* s) {
  sem_post(s);
  sem_post(s);
}
