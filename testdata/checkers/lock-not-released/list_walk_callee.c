// Lists drained through a helper that advances the head (`c->resp_head = r->next`), called in a
// loop over a table of connections, the way a cache server closes every connection at shutdown.
// The helper's summary binds the head to a longer chain on every pass of the loop; the analysis
// must converge (it once grew the keys until memory ran out) and still judge the locks around it.
#include <pthread.h>
#include <stdlib.h>

struct resp {
  struct resp* next;
  int len;
};

struct conn {
  pthread_mutex_t lock;
  struct resp* resp_head;
  struct resp* resp_tail;
  int state;
};

#define MAX_CONNS 64
static struct conn* conns[MAX_CONNS];
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;

static void resp_finish(struct conn* c, struct resp* r) {
  c->resp_head = r->next;
  if (c->resp_tail == r)
    c->resp_tail = NULL;
  free(r);
}

static void conn_release_resps(struct conn* c) {
  while (c->resp_head)
    resp_finish(c, c->resp_head);
}

static void conn_close(struct conn* c) {
  pthread_mutex_lock(&c->lock);
  conn_release_resps(c);
  c->state = 0;
  pthread_mutex_unlock(&c->lock);
}

// case: good
// Every connection's list drained under its own lock, the table under the table's lock.
void conn_close_all(void) {
  pthread_mutex_lock(&conns_lock);
  for (int i = 0; i < MAX_CONNS; i++) {
    if (conns[i] != NULL)
      conn_close(conns[i]);
  }
  pthread_mutex_unlock(&conns_lock);
}

// case: good
// The walk written out in the loop, with a second helper advancing through a copy of the head.
static struct resp* resp_next(struct conn* c) {
  struct resp* r = c->resp_head;
  c->resp_head = r->next;
  return r;
}

int conn_count_resps(struct conn* c) {
  int n = 0;
  pthread_mutex_lock(&c->lock);
  while (c->resp_head != NULL) {
    struct resp* r = resp_next(c);
    n += r->len;
    free(r);
  }
  pthread_mutex_unlock(&c->lock);
  return n;
}

// case: bad
// The early return for a closed connection leaves the table's lock held after the walk.
int conn_close_open(void) {
  pthread_mutex_lock(&conns_lock);
  for (int i = 0; i < MAX_CONNS; i++) {
    struct conn* c = conns[i];
    if (c == NULL)
      continue;
    if (c->state == 0)
      return -1; // expect: lock-not-released
    conn_close(c);
  }
  pthread_mutex_unlock(&conns_lock);
  return 0;
}
