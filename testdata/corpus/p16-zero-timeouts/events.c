// Zero timeouts do not block: polling under a lock, as event loops do to drain ready descriptors.
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

struct loop {
  pthread_mutex_t mu;
  int epfd;
  int wakefd;
  int ready;
};

// case: good
int loop_drain(struct loop* l) {
  struct epoll_event ev[8];
  pthread_mutex_lock(&l->mu);
  int n = epoll_wait(l->epfd, ev, 8, 0);
  l->ready += n > 0 ? n : 0;
  pthread_mutex_unlock(&l->mu);
  return n;
}

// case: good
int loop_peek(struct loop* l) {
  struct pollfd p = {l->wakefd, POLLIN, 0};
  pthread_mutex_lock(&l->mu);
  int n = poll(&p, 1, 0);
  pthread_mutex_unlock(&l->mu);
  return n;
}

// case: good
int loop_select_now(struct loop* l) {
  fd_set set;
  struct timeval zero = {0, 0};
  FD_ZERO(&set);
  FD_SET(l->wakefd, &set);
  pthread_mutex_lock(&l->mu);
  int n = select(l->wakefd + 1, &set, NULL, NULL, &zero);
  pthread_mutex_unlock(&l->mu);
  return n;
}

// case: bad
// An infinite timeout under the loop lock: every other thread stalls until an event arrives.
int loop_wait(struct loop* l) {
  struct epoll_event ev[8];
  pthread_mutex_lock(&l->mu);
  int n = epoll_wait(l->epfd, ev, 8, -1); // expect: blocking-under-lock
  pthread_mutex_unlock(&l->mu);
  return n;
}
