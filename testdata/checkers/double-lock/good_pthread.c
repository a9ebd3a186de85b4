// double-lock: pthread mutexes that may legitimately be relocked, and relocks that never overlap.
#define _GNU_SOURCE
#include <pthread.h>

struct registry {
  pthread_mutex_t lock;
  int entries;
};

// case: good
// Made recursive through the attribute; the init sequence is visible to the analysis.
int registry_init(struct registry* r) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  int rc = pthread_mutex_init(&r->lock, &a);
  pthread_mutexattr_destroy(&a);
  r->entries = 0;
  return rc;
}

static pthread_mutex_t g_tree_lock;

// case: good
// A static mutex initialised recursive at startup, then relocked by a recursive walk.
void tree_lock_init(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(&g_tree_lock, &a);
  pthread_mutexattr_destroy(&a);
}

struct tnode {
  struct tnode* kids[2];
  int weight;
};

// case: good
// Recursion relocks g_tree_lock, which tree_lock_init() made recursive.
int tree_weight(const struct tnode* n) {
  if (!n)
    return 0;
  pthread_mutex_lock(&g_tree_lock);
  int w = n->weight + tree_weight(n->kids[0]) + tree_weight(n->kids[1]);
  pthread_mutex_unlock(&g_tree_lock);
  return w;
}

static pthread_mutex_t g_reent = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static int g_calls;

static void count_call(void) {
  pthread_mutex_lock(&g_reent);
  ++g_calls;
  pthread_mutex_unlock(&g_reent);
}

// case: good
// A statically initialised recursive mutex relocked through a helper.
void count_two_calls(void) {
  pthread_mutex_lock(&g_reent);
  count_call();
  count_call();
  pthread_mutex_unlock(&g_reent);
}

// case: good
// trylock reported busy (!= 0), so the blocking lock is the only acquisition.
void registry_add(struct registry* r, int* contended) {
  if (pthread_mutex_trylock(&r->lock) != 0) {
    ++*contended;
    pthread_mutex_lock(&r->lock);
  }
  r->entries++;
  pthread_mutex_unlock(&r->lock);
}

struct job {
  pthread_mutex_t lock;
  pthread_cond_t done_cv;
  int done;
};

// case: good
// pthread_cond_wait reacquires the mutex it released; that is not a double lock.
void job_wait(struct job* j) {
  pthread_mutex_lock(&j->lock);
  while (!j->done)
    pthread_cond_wait(&j->done_cv, &j->lock);
  pthread_mutex_unlock(&j->lock);
}

// case: good
// Lock and unlock inside each iteration.
int jobs_done(struct job* j, int polls) {
  int done = 0;
  for (int i = 0; i < polls && !done; ++i) {
    pthread_mutex_lock(&j->lock);
    done = j->done;
    pthread_mutex_unlock(&j->lock);
  }
  return done;
}
