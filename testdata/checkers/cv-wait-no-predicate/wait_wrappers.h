// Wait wrappers in the style of libuv's uv_cond_wait: the wrapper only waits, its callers (in
// wait_wrapper_callers.c) know the condition and must re-test it.
#pragma once
#include <pthread.h>

typedef pthread_cond_t ev_cond_t;
typedef pthread_mutex_t ev_mutex_t;

struct ev_queue {
  ev_mutex_t mu;
  ev_cond_t nonempty;
  int head, tail;
  int stop;
};

void ev_cond_wait(ev_cond_t* c, ev_mutex_t* m);
int ev_cond_timedwait(ev_cond_t* c, ev_mutex_t* m, long ns);
void ev_queue_wait(struct ev_queue* q);
void ev_queue_wait_locked(struct ev_queue* q);
