// blocking-under-lock: correct POSIX and C11 code that a naive checker would flag.
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <threads.h>
#include <unistd.h>

struct inbox {
  pthread_mutex_t lock;
  pthread_cond_t nonempty;
  int items[32];
  int count;
};

// case: good
// pthread_cond_wait on the only mutex held.
int inbox_pop(struct inbox* b) {
  pthread_mutex_lock(&b->lock);
  while (b->count == 0)
    pthread_cond_wait(&b->nonempty, &b->lock);
  int v = b->items[--b->count];
  pthread_mutex_unlock(&b->lock);
  return v;
}

// case: good
// read() after the unlock.
ssize_t inbox_fill(struct inbox* b, int fd) {
  int room;
  pthread_mutex_lock(&b->lock);
  room = 32 - b->count;
  pthread_mutex_unlock(&b->lock);
  if (room <= 0)
    return 0;
  char buf[64];
  return read(fd, buf, sizeof buf);
}

// case: good
// trylock busy (!= 0): back off with usleep while NOT holding the lock.
void inbox_push_spin(struct inbox* b, int v) {
  while (pthread_mutex_trylock(&b->lock) != 0)
    usleep(100);
  if (b->count < 32)
    b->items[b->count++] = v;
  pthread_mutex_unlock(&b->lock);
}

// case: good
// The trylock result stored: sleep only on the path where it failed.
int inbox_try_count(struct inbox* b) {
  int rc = pthread_mutex_trylock(&b->lock);
  int n = -1;
  if (rc == 0) {
    n = b->count;
    pthread_mutex_unlock(&b->lock);
  }
  if (rc != 0)
    usleep(10);
  return n;
}

// case: good
// sem_trywait does not block.
int inbox_try_slot(struct inbox* b, sem_t* slots) {
  pthread_mutex_lock(&b->lock);
  int ok = sem_trywait(slots) == 0;
  if (ok)
    b->count++;
  pthread_mutex_unlock(&b->lock);
  return ok;
}

// case: good
// Join after the unlock.
void inbox_stop(struct inbox* b, pthread_t worker) {
  pthread_mutex_lock(&b->lock);
  b->count = -1;
  pthread_cond_broadcast(&b->nonempty);
  pthread_mutex_unlock(&b->lock);
  pthread_join(worker, NULL);
}

struct task {
  mtx_t m;
  cnd_t done_cv;
  int done;
};

// case: good
// C11 cnd_wait on the only mutex held.
void task_wait(struct task* t) {
  mtx_lock(&t->m);
  while (!t->done)
    cnd_wait(&t->done_cv, &t->m);
  mtx_unlock(&t->m);
}

// case: good
// C11: thrd_join after the unlock.
int task_join(struct task* t, thrd_t worker) {
  int rc = 0;
  mtx_lock(&t->m);
  t->done = 1;
  mtx_unlock(&t->m);
  thrd_join(worker, &rc);
  return rc;
}
