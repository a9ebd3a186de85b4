// detached-captures-local: detached threads whose argument does not live on the creator's stack,
// and joined threads that may safely use it.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

struct message {
  char text[64];
};

static struct message g_motd = {"welcome"};

// case: support
static void* show_and_free(void* arg) {
  struct message* m = arg;
  puts(m->text);
  free(m);
  return NULL;
}

static void* show(void* arg) {
  const struct message* m = arg;
  puts(m->text);
  return NULL;
}

static int c11_show_and_free(void* arg) {
  struct message* m = arg;
  puts(m->text);
  free(m);
  return 0;
}

// case: good
// The argument is on the heap; the detached thread frees it.
int post_async(const char* text) {
  struct message* m = malloc(sizeof *m);
  if (!m)
    return -1;
  strncpy(m->text, text, sizeof m->text - 1);
  m->text[sizeof m->text - 1] = '\0';
  pthread_t tid;
  if (pthread_create(&tid, NULL, show_and_free, m) != 0) {
    free(m);
    return -1;
  }
  pthread_detach(tid);
  return 0;
}

// case: good
// A global's address handed to a detached thread.
int show_motd_async(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, show, &g_motd) != 0)
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: good
// A function-local static lives for the whole program.
int show_banner_async(void) {
  static struct message banner = {"threadcheck"};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, show, &banner);
  pthread_attr_destroy(&attr);
  return rc;
}

// case: good
// A local's address is fine when the thread is joined before the function returns.
int show_local(const char* text) {
  struct message m;
  strncpy(m.text, text, sizeof m.text - 1);
  m.text[sizeof m.text - 1] = '\0';
  pthread_t tid;
  if (pthread_create(&tid, NULL, show, &m) != 0)
    return -1;
  pthread_join(tid, NULL);
  return 0;
}

// case: good
// A string literal has static storage.
int show_literal_async(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, show, (void*)"ready") != 0)
    return -1;
  pthread_detach(tid);
  return 0;
}

// case: good
// The caller's message is copied to the heap; the parameter itself is never handed over.
int post_copy_async(const struct message* src) {
  struct message* m = malloc(sizeof *m);
  if (!m)
    return -1;
  memcpy(m, src, sizeof *m);
  pthread_t tid;
  if (pthread_create(&tid, NULL, show_and_free, m) != 0) {
    free(m);
    return -1;
  }
  return pthread_detach(tid);
}

// case: good
// C11: a heap argument freed by the detached thread.
int c11_post_async(const char* text) {
  struct message* m = malloc(sizeof *m);
  if (!m)
    return -1;
  snprintf(m->text, sizeof m->text, "%s", text);
  thrd_t t;
  if (thrd_create(&t, c11_show_and_free, m) != thrd_success) {
    free(m);
    return -1;
  }
  thrd_detach(t);
  return 0;
}
