// lock-not-released: pthread mutexes, rwlocks and spinlocks left held on error paths.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

#define BUF_CAP 32

struct buffer {
  pthread_mutex_t lock;
  int items[BUF_CAP];
  int count;
};

// case: bad
// The "buffer full" return leaves the buffer locked: every later producer blocks forever.
int buffer_put(struct buffer* b, int v) {
  pthread_mutex_lock(&b->lock);
  if (b->count == BUF_CAP)
    return -1; // expect: lock-not-released
  b->items[b->count++] = v;
  pthread_mutex_unlock(&b->lock);
  return 0;
}

struct cfg {
  pthread_mutex_t lock;
  int port;
};

// case: bad
// The goto error path jumps past the unlock.
int cfg_load(struct cfg* c, const char* path) {
  pthread_mutex_lock(&c->lock);
  FILE* f = fopen(path, "r");
  if (!f)
    goto fail;
  if (fscanf(f, "%d", &c->port) != 1) {
    fclose(f);
    goto fail;
  }
  fclose(f);
  pthread_mutex_unlock(&c->lock);
  return 0;
fail:
  return -1; // expect: lock-not-released
}

#define TABLE_SIZE 128

struct table {
  pthread_rwlock_t rw;
  int v[TABLE_SIZE];
};

// case: bad
// A write lock leaked by the argument check.
int table_set(struct table* t, int k, int v) {
  pthread_rwlock_wrlock(&t->rw);
  if (k < 0 || k >= TABLE_SIZE)
    return EINVAL; // expect: lock-not-released
  t->v[k] = v;
  pthread_rwlock_unlock(&t->rw);
  return 0;
}

// case: bad
// A read lock leaked the same way: writers starve from then on.
int table_get(struct table* t, int k, int* out) {
  pthread_rwlock_rdlock(&t->rw);
  if (k < 0 || k >= TABLE_SIZE)
    return EINVAL; // expect: lock-not-released
  *out = t->v[k];
  pthread_rwlock_unlock(&t->rw);
  return 0;
}

struct stats {
  pthread_spinlock_t spin;
  long total;
};

// case: bad
// A spinlock left held: other threads spin at 100% CPU forever.
void stats_add(struct stats* s, long n) {
  pthread_spin_lock(&s->spin);
  if (n == 0)
    return; // expect: lock-not-released
  s->total += n;
  pthread_spin_unlock(&s->spin);
}

struct log {
  pthread_mutex_t lock;
  char text[256];
  int len;
};

void log_flush_locked(struct log* l);

// case: bad
// The trylock succeeded; the "nothing to flush" return forgets that.
void log_maybe_flush(struct log* l) {
  if (pthread_mutex_trylock(&l->lock) == 0) {
    if (l->len == 0)
      return; // expect: lock-not-released
    log_flush_locked(l);
    pthread_mutex_unlock(&l->lock);
  }
}

static pthread_mutex_t g_seq_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned g_seq;

// case: bad
// The wrap-around branch returns with the global sequence lock held.
unsigned next_sequence(void) {
  pthread_mutex_lock(&g_seq_lock);
  if (g_seq == 0xffffffffu)
    return 0; // expect: lock-not-released
  unsigned s = ++g_seq;
  pthread_mutex_unlock(&g_seq_lock);
  return s;
}
