// A resource locked through the wrappers in cross_tu_wrapper.c.
#pragma once
#include <pthread.h>

struct resource {
  pthread_mutex_t m;
  int value;
};

void res_lock(struct resource* r);
void res_unlock(struct resource* r);
