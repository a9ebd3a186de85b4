// detached-captures-local: detached POSIX and C11 threads given the address of the creator's stack.
// The creator returns; the thread then reads a frame that the next call overwrites.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

struct request {
  int fd;
  char path[128];
};

// case: support
static void* serve_request(void* arg) {
  const struct request* r = arg;
  printf("serving %s on %d\n", r->path, r->fd);
  return NULL;
}

static void* print_message(void* arg) {
  puts((const char*)arg);
  return NULL;
}

static int c11_print(void* arg) {
  puts((const char*)arg);
  return 0;
}

// case: bad
// The request lives on the acceptor's stack; the detached handler outlives it.
int accept_request(int fd, const char* path) {
  struct request req;
  req.fd = fd;
  strncpy(req.path, path, sizeof req.path - 1);
  req.path[sizeof req.path - 1] = '\0';
  pthread_t tid;
  if (pthread_create(&tid, NULL, serve_request, &req) != 0) // expect: detached-captures-local
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: bad
// Started detached through the attribute, with a local buffer (an array decays to its address).
int announce_async(const char* who) {
  char message[64];
  snprintf(message, sizeof message, "hello from %s", who);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, print_message, message); // expect: detached-captures-local
  pthread_attr_destroy(&attr);
  return rc;
}

// case: bad
// A pointer variable that points into the local request.
int serve_path_async(int fd) {
  struct request req = {fd, "/index.html"};
  struct request* p = &req;
  pthread_t tid;
  if (pthread_create(&tid, NULL, serve_request, p) != 0) // expect: detached-captures-local
    return -1;
  return pthread_detach(tid);
}

// case: bad
// Detached only when the caller does not want to wait: the stack address escapes on that path.
int serve_maybe_wait(int fd, int wait) {
  struct request req = {fd, "/status"};
  pthread_t tid;
  if (pthread_create(&tid, NULL, serve_request, &req) != 0) // expect: detached-captures-local
    return -1;
  if (wait)
    pthread_join(tid, NULL);
  else
    pthread_detach(tid);
  return 0;
}

// case: bad
// C11: a local string handed to a detached thread.
int c11_announce(int n) {
  char text[32];
  snprintf(text, sizeof text, "round %d", n);
  thrd_t t;
  if (thrd_create(&t, c11_print, text) != thrd_success) // expect: detached-captures-local
    return -1;
  thrd_detach(t);
  return 0;
}
