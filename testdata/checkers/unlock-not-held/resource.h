// A resource whose mutex is taken and released through the wrappers in cross_tu_wrapper.c.
#pragma once
#include <pthread.h>
#include <stdbool.h>

struct resource {
  pthread_mutex_t m;
  int value;
};

void res_lock(struct resource* r);
void res_unlock(struct resource* r);
bool res_try_lock(struct resource* r);
void res_commit(struct resource* r, int v);
