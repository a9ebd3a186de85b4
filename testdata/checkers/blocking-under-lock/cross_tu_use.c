// Callers of cross_tu_blocking.c.
#include "net.h"

// case: bad
// link_wait_reply blocks in recv (in another translation unit) while the link lock is held.
int link_request(struct link* l, char* buf, size_t n) {
  link_lock(l);
  int got = link_wait_reply(l, buf, n); // expect: blocking-under-lock
  if (got > 0)
    l->replies++;
  link_unlock(l);
  return got;
}

// case: good
// The lock is released through the wrapper before the blocking call.
int link_request_unlocked(struct link* l, char* buf, size_t n) {
  link_lock(l);
  int fd = l->fd;
  link_unlock(l);
  if (fd < 0)
    return -1;
  return link_wait_reply(l, buf, n);
}

// case: good
// A non-blocking helper under the lock.
int link_notify(struct link* l) {
  link_lock(l);
  int rc = link_send_nowait(l, "ping\n");
  link_unlock(l);
  return rc;
}
