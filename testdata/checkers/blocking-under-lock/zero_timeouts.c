// blocking-under-lock and zero timeouts: poll, epoll_wait, select, pselect and ppoll told not to
// wait return at once, so an event loop may drain ready descriptors under its lock. A timeout
// that is not a known zero still blocks.
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>

struct loop {
  pthread_mutex_t mu;
  int epfd;
  int fd;
  int ready;
};

enum { kNoWait = 0 };
static const int kPollNow = 0;

// case: good
int drain_epoll(struct loop* l) {
  struct epoll_event ev[4];
  pthread_mutex_lock(&l->mu);
  int n = epoll_wait(l->epfd, ev, 4, 0);
  l->ready += n;
  pthread_mutex_unlock(&l->mu);
  return n;
}

// case: good
int drain_poll(struct loop* l) {
  struct pollfd p = {l->fd, POLLIN, 0};
  pthread_mutex_lock(&l->mu);
  int a = poll(&p, 1, kNoWait);
  int b = poll(&p, 1, kPollNow);
  pthread_mutex_unlock(&l->mu);
  return a + b;
}

// case: good
int drain_select(struct loop* l) {
  fd_set set;
  struct timeval now = {0, 0};
  struct timespec zero = {0};
  FD_ZERO(&set);
  FD_SET(l->fd, &set);
  pthread_mutex_lock(&l->mu);
  int a = select(l->fd + 1, &set, NULL, NULL, &now);
  int b = pselect(l->fd + 1, &set, NULL, NULL, &zero, NULL);
  struct pollfd p = {l->fd, POLLIN, 0};
  int c = ppoll(&p, 1, &zero, NULL);
  pthread_mutex_unlock(&l->mu);
  return a + b + c;
}

// case: bad
int wait_forever(struct loop* l) {
  struct epoll_event ev[4];
  pthread_mutex_lock(&l->mu);
  int n = epoll_wait(l->epfd, ev, 4, -1); // expect: blocking-under-lock
  pthread_mutex_unlock(&l->mu);
  return n;
}

// case: bad
// The caller decides how long: not known to be zero.
int wait_for(struct loop* l, int timeout_ms) {
  struct pollfd p = {l->fd, POLLIN, 0};
  pthread_mutex_lock(&l->mu);
  int n = poll(&p, 1, timeout_ms); // expect: blocking-under-lock
  pthread_mutex_unlock(&l->mu);
  return n;
}

// case: bad
int select_second(struct loop* l) {
  fd_set set;
  struct timeval second = {1, 0};
  FD_ZERO(&set);
  FD_SET(l->fd, &set);
  pthread_mutex_lock(&l->mu);
  int a = select(l->fd + 1, &set, NULL, NULL, &second); // expect: blocking-under-lock
  pthread_mutex_unlock(&l->mu);
  return a;
}

// case: bad
int select_null(struct loop* l) {
  fd_set set;
  FD_ZERO(&set);
  FD_SET(l->fd, &set);
  pthread_mutex_lock(&l->mu);
  int a = select(l->fd + 1, &set, NULL, NULL, NULL); // expect: blocking-under-lock
  pthread_mutex_unlock(&l->mu);
  return a;
}
