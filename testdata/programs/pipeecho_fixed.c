// An echo server thread: requests arrive on a pipe, replies go back on a socketpair. Both ends
// block in read()/recv() until the other side has written: under the serialised scheduler a
// blocked reader must let the writer run. The server counts what it served under a mutex before
// it replies, so the client sees the count of every request it has an answer to.
#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { kRequests = 4 };

static int g_requests[2]; // pipe: client -> server
static int g_replies[2];  // socketpair: server -> client
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_served;

static void* server(void* arg) {
  (void)arg;
  char buf[16];
  ssize_t n;
  while ((n = read(g_requests[0], buf, sizeof buf)) > 0) {
    pthread_mutex_lock(&g_mu);
    ++g_served;
    pthread_mutex_unlock(&g_mu);
    send(g_replies[1], buf, (size_t)n, 0);
  }
  close(g_replies[1]);
  return NULL;
}

int main(void) {
  if (pipe(g_requests) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, g_replies) != 0)
    return 2;
  pthread_t t;
  if (pthread_create(&t, NULL, server, NULL) != 0)
    return 2;
  for (int i = 0; i < kRequests; ++i) {
    char msg = (char)('a' + i);
    assert(write(g_requests[1], &msg, 1) == 1);
    char reply = 0;
    assert(recv(g_replies[0], &reply, 1, 0) == 1);
    assert(reply == msg);
    pthread_mutex_lock(&g_mu);
    assert(g_served == i + 1);
    pthread_mutex_unlock(&g_mu);
  }
  close(g_requests[1]);
  char rest;
  assert(recv(g_replies[0], &rest, 1, 0) == 0); // the server closed its end: EOF
  pthread_join(t, NULL);
  return 0;
}
