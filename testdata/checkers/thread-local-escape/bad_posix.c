// thread-local-escape: C thread-local storage (_Thread_local, __thread, thread_local from
// <threads.h>) whose address is handed to another thread.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

struct conn_state {
  int fd;
  char buf[512];
};

static _Thread_local struct conn_state tl_conn;
static __thread int tl_retries;
static thread_local char tl_name[32];

struct shared_stats {
  int* retries;
  pthread_mutex_t mu;
};

// case: support
static void* flush_conn(void* arg) {
  struct conn_state* c = arg;
  c->buf[0] = '\0';
  return NULL;
}

static int c11_print_name(void* arg) {
  puts((const char*)arg);
  return 0;
}

// case: bad
// The flusher clears the creator's buffer while the creator keeps filling it.
int flush_async(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, flush_conn, &tl_conn) != 0) // expect: thread-local-escape
    return -1;
  strcpy(tl_conn.buf, "more");
  pthread_join(tid, NULL);
  return 0;
}

// case: bad
// The creator's buffer member escapes, detached: it dangles when the creator exits.
int flush_buf_detached(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, flush_conn, &tl_conn.buf) != 0) // expect: thread-local-escape
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: bad
// A structure shared by every thread points at one thread's retry counter.
void share_retries(struct shared_stats* s) {
  s->retries = &tl_retries; // expect: thread-local-escape
}

// case: bad
// C11: the name array decays to the address of the creator's thread-local copy.
int print_name_async(void) {
  snprintf(tl_name, sizeof tl_name, "creator");
  thrd_t t;
  if (thrd_create(&t, c11_print_name, tl_name) != thrd_success) // expect: thread-local-escape
    return -1;
  tl_name[0] = '\0';
  int rc = 0;
  thrd_join(t, &rc);
  return rc;
}

int* g_depth_probe;

// case: bad
// A debugging probe published in a global: readers on other threads see one thread's counter,
// which dangles after that thread exits.
void publish_depth_probe(void) {
  g_depth_probe = &tl_retries; // expect: thread-local-escape
}
