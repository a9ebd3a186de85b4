// blocking-under-lock: polls with a zero timeout under a lock, the way event loops and connection
// pools check readiness without waiting (poll/ppoll/epoll_wait with 0, select with a zeroed
// timeval, WNOHANG, MSG_DONTWAIT), beside the same calls with a timeout that really waits.
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#define POLL_NOWAIT 0

struct conn_pool {
  pthread_mutex_t lock;
  int fds[16];
  int nfds;
  int epfd;
  int ready;
};

// case: good
// A readiness sweep: poll with a zero timeout returns at once.
int pool_sweep(struct conn_pool* p) {
  struct pollfd pfd[16];
  pthread_mutex_lock(&p->lock);
  for (int i = 0; i < p->nfds; i++) {
    pfd[i].fd = p->fds[i];
    pfd[i].events = POLLIN;
  }
  int n = poll(pfd, (nfds_t)p->nfds, 0);
  p->ready = n > 0 ? n : 0;
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: good
// The zero timeout spelled through a macro and through a local constant.
int pool_sweep_named(struct conn_pool* p) {
  struct pollfd pfd = {.fd = p->fds[0], .events = POLLIN};
  const int timeout_ms = 0;
  pthread_mutex_lock(&p->lock);
  int a = poll(&pfd, 1, POLL_NOWAIT);
  int b = poll(&pfd, 1, timeout_ms);
  pthread_mutex_unlock(&p->lock);
  return a + b;
}

// case: good
// epoll_wait with a zero timeout drains what is already pending.
int pool_drain_events(struct conn_pool* p) {
  struct epoll_event evs[8];
  pthread_mutex_lock(&p->lock);
  int n = epoll_wait(p->epfd, evs, 8, 0);
  if (n > 0)
    p->ready += n;
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: good
// select with a local timeval initialised to zero: a non-blocking readiness test.
int pool_select_nowait(struct conn_pool* p) {
  fd_set rd;
  struct timeval tv = {0, 0};
  FD_ZERO(&rd);
  pthread_mutex_lock(&p->lock);
  FD_SET(p->fds[0], &rd);
  int n = select(p->fds[0] + 1, &rd, NULL, NULL, &tv);
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: good
// The zero timeval set field by field, and by memset.
int pool_select_fields(struct conn_pool* p) {
  fd_set rd;
  struct timeval tv;
  struct timeval tv2;
  tv.tv_sec = 0;
  tv.tv_usec = 0;
  memset(&tv2, 0, sizeof tv2);
  FD_ZERO(&rd);
  FD_SET(p->fds[0], &rd);
  pthread_mutex_lock(&p->lock);
  int n = select(p->fds[0] + 1, &rd, NULL, NULL, &tv);
  n += select(p->fds[0] + 1, &rd, NULL, NULL, &tv2);
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: good
// ppoll with a zero timespec.
int pool_ppoll_nowait(struct conn_pool* p) {
  struct pollfd pfd = {.fd = p->fds[0], .events = POLLIN};
  struct timespec zero = {0};
  pthread_mutex_lock(&p->lock);
  int n = ppoll(&pfd, 1, &zero, NULL);
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: good
// Reaping exited children without waiting, and a receive that never waits.
int pool_reap(struct conn_pool* p, char* buf, size_t len) {
  int status;
  pthread_mutex_lock(&p->lock);
  while (waitpid(-1, &status, WNOHANG) > 0)
    p->ready--;
  ssize_t got = recv(p->fds[0], buf, len, MSG_DONTWAIT);
  pthread_mutex_unlock(&p->lock);
  return (int)got;
}

// case: bad
// An infinite poll timeout under the pool lock: every other user of the pool waits for traffic.
int pool_wait_forever(struct conn_pool* p) {
  struct pollfd pfd = {.fd = p->fds[0], .events = POLLIN};
  pthread_mutex_lock(&p->lock);
  int n = poll(&pfd, 1, -1); // expect: blocking-under-lock
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: bad
// A one-second select timeout under the lock.
int pool_select_second(struct conn_pool* p) {
  fd_set rd;
  struct timeval tv = {1, 0};
  FD_ZERO(&rd);
  FD_SET(p->fds[0], &rd);
  pthread_mutex_lock(&p->lock);
  int n = select(p->fds[0] + 1, &rd, NULL, NULL, &tv); // expect: blocking-under-lock
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: bad
// The timeval starts at zero but is set to a real timeout before the select.
int pool_select_reset(struct conn_pool* p, int wait_ms) {
  fd_set rd;
  struct timeval tv = {0, 0};
  FD_ZERO(&rd);
  FD_SET(p->fds[0], &rd);
  tv.tv_usec = wait_ms * 1000;
  pthread_mutex_lock(&p->lock);
  int n = select(p->fds[0] + 1, &rd, NULL, NULL, &tv); // expect: blocking-under-lock
  pthread_mutex_unlock(&p->lock);
  return n;
}

// case: bad
// select with no timeout at all waits until a descriptor is ready; epoll_wait with a caller's
// timeout and a plain blocking waitpid as well.
int pool_wait_any(struct conn_pool* p, int timeout_ms) {
  fd_set rd;
  struct epoll_event ev;
  int status;
  FD_ZERO(&rd);
  FD_SET(p->fds[0], &rd);
  pthread_mutex_lock(&p->lock);
  int n = select(p->fds[0] + 1, &rd, NULL, NULL, NULL); // expect: blocking-under-lock
  n += epoll_wait(p->epfd, &ev, 1, timeout_ms);         // expect: blocking-under-lock
  n += waitpid(-1, &status, 0);                         // expect: blocking-under-lock
  pthread_mutex_unlock(&p->lock);
  return n;
}
