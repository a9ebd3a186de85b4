// blocking-under-lock: a thread that blocks while holding a lock stalls every thread that needs it,
// for as long as the blocking call takes (a peer that never answers: forever).
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <threads.h>
#include <time.h>
#include <unistd.h>

struct server {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  pthread_mutex_t queue_lock;
  int listen_fd;
  int clients;
  char line[256];
};

// case: bad
// Reads from a socket while holding the server lock: a slow client stalls the server.
ssize_t server_read(struct server* s, int fd, char* buf, size_t n) {
  pthread_mutex_lock(&s->lock);
  ssize_t got = read(fd, buf, n); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
  return got;
}

// case: bad
// recv under the lock.
ssize_t server_recv(struct server* s, int fd, char* buf, size_t n) {
  pthread_mutex_lock(&s->lock);
  ssize_t got = recv(fd, buf, n, 0); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
  return got;
}

// case: bad
// accept under the lock: no other thread can touch the server until a client connects.
int server_accept(struct server* s) {
  pthread_mutex_lock(&s->lock);
  int fd = accept(s->listen_fd, NULL, NULL); // expect: blocking-under-lock
  if (fd >= 0)
    s->clients++;
  pthread_mutex_unlock(&s->lock);
  return fd;
}

// case: bad
// Waits for an operator to type a line while holding the lock.
void server_prompt(struct server* s) {
  pthread_mutex_lock(&s->lock);
  if (!fgets(s->line, sizeof s->line, stdin)) // expect: blocking-under-lock
    s->line[0] = '\0';
  pthread_mutex_unlock(&s->lock);
}

// case: bad
// getchar under the lock.
int server_confirm(struct server* s) {
  pthread_mutex_lock(&s->lock);
  int c = getchar(); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
  return c == 'y';
}

// case: bad
// scanf under the lock.
int server_read_limit(struct server* s) {
  int limit = 0;
  pthread_mutex_lock(&s->lock);
  if (scanf("%d", &limit) != 1) // expect: blocking-under-lock
    limit = -1;
  pthread_mutex_unlock(&s->lock);
  return limit;
}

// case: bad
// poll with an infinite timeout under the lock.
int server_wait_readable(struct server* s, int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  pthread_mutex_lock(&s->lock);
  int rc = poll(&p, 1, -1); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
  return rc;
}

// case: bad
// select under the lock.
int server_select(struct server* s, int fd) {
  fd_set set;
  FD_ZERO(&set);
  FD_SET(fd, &set);
  pthread_mutex_lock(&s->lock);
  int rc = select(fd + 1, &set, NULL, NULL, NULL); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
  return rc;
}

// case: bad
// epoll_wait under the lock.
int server_epoll(struct server* s, int ep, struct epoll_event* evs) {
  pthread_mutex_lock(&s->lock);
  int n = epoll_wait(ep, evs, 16, -1); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
  return n;
}

// case: bad
// Joining a worker under the lock the worker needs to finish: deadlock.
void server_stop_worker(struct server* s, pthread_t worker) {
  pthread_mutex_lock(&s->lock);
  s->clients = 0;
  pthread_join(worker, NULL); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
}

// case: bad
// sem_wait under the lock.
void server_take_slot(struct server* s, sem_t* slots) {
  pthread_mutex_lock(&s->lock);
  sem_wait(slots); // expect: blocking-under-lock
  s->clients++;
  pthread_mutex_unlock(&s->lock);
}

// case: bad
// Waiting on queue_lock's condition while also holding s->lock: the wait releases only queue_lock.
void server_wait_change(struct server* s) {
  pthread_mutex_lock(&s->lock);
  pthread_mutex_lock(&s->queue_lock);
  while (s->clients == 0)
    pthread_cond_wait(&s->changed, &s->queue_lock); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->queue_lock);
  pthread_mutex_unlock(&s->lock);
}

// case: bad
// fread on stdin under the lock.
size_t server_slurp(struct server* s) {
  pthread_mutex_lock(&s->lock);
  size_t n = fread(s->line, 1, sizeof s->line, stdin); // expect: blocking-under-lock
  pthread_mutex_unlock(&s->lock);
  return n;
}

struct job {
  mtx_t m;
  thrd_t worker;
  int result;
};

// case: bad
// C11: thrd_join under a C11 mutex.
int job_finish(struct job* j) {
  int rc = 0;
  mtx_lock(&j->m);
  thrd_join(j->worker, &rc); // expect: blocking-under-lock
  j->result = rc;
  mtx_unlock(&j->m);
  return rc;
}

// case: bad
// getc on stdin under a spinlock.
int spin_getc(pthread_spinlock_t* spin) {
  pthread_spin_lock(spin);
  int c = getc(stdin); // expect: blocking-under-lock
  pthread_spin_unlock(spin);
  return c;
}
