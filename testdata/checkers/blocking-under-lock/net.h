// A connection whose blocking receive lives in cross_tu_blocking.c.
#pragma once
#include <pthread.h>
#include <stddef.h>

struct link {
  pthread_mutex_t lock;
  int fd;
  int replies;
};

void link_lock(struct link* l);
void link_unlock(struct link* l);
int link_wait_reply(struct link* l, char* buf, size_t n);
int link_send_nowait(struct link* l, const char* msg);
