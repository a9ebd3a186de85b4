// Wrappers and a function that blocks internally; their summaries decide cross_tu_use.c's findings.
#define _GNU_SOURCE
#include "net.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// case: support
void link_lock(struct link* l) {
  pthread_mutex_lock(&l->lock);
}

void link_unlock(struct link* l) {
  pthread_mutex_unlock(&l->lock);
}

// Blocks in recv until the peer answers; takes no lock itself.
int link_wait_reply(struct link* l, char* buf, size_t n) {
  ssize_t got = recv(l->fd, buf, n, 0);
  return got < 0 ? -1 : (int)got;
}

// Non-blocking send: MSG_DONTWAIT, and send is not a blocking call in this sense.
int link_send_nowait(struct link* l, const char* msg) {
  return (int)send(l->fd, msg, strlen(msg), MSG_DONTWAIT);
}
