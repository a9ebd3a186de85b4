// thread-local-escape: C thread-local storage used only by its own thread, or copied.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

static _Thread_local char tl_line[128];
static __thread int tl_depth;
static _Thread_local int* tl_heap_counter;

// case: support
static void* print_line(void* arg) {
  char* line = arg;
  puts(line);
  free(line);
  return NULL;
}

static void* nest(void* arg) {
  (void)arg;
  ++tl_depth;
  return NULL;
}

static int c11_bump_heap(void* arg) {
  int* counter = arg;
  return ++*counter;
}

// case: good
// A heap copy of the thread-local line is handed over, not the line itself.
int print_async(void) {
  snprintf(tl_line, sizeof tl_line, "status");
  size_t n = strlen(tl_line) + 1;
  char* copy = malloc(n);
  if (!copy)
    return -1;
  memcpy(copy, tl_line, n);
  pthread_t tid;
  if (pthread_create(&tid, NULL, print_line, copy) != 0) {
    free(copy);
    return -1;
  }
  pthread_join(tid, NULL);
  return 0;
}

// case: good
// The entry uses its own thread's tl_depth by name.
int nest_async(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, nest, NULL) != 0)
    return -1;
  pthread_join(tid, NULL);
  return tl_depth;
}

// case: good
// The address goes to library calls on this thread.
void clear_line(void) {
  memset(tl_line, 0, sizeof tl_line);
  snprintf(tl_line, sizeof tl_line, "%d", tl_depth);
}

// case: good
// A thread-local pointer to heap data: the heap counter, not the pointer's address, is shared.
int bump_heap_async(void) {
  if (!tl_heap_counter) {
    tl_heap_counter = calloc(1, sizeof *tl_heap_counter);
    if (!tl_heap_counter)
      return -1;
  }
  thrd_t t;
  if (thrd_create(&t, c11_bump_heap, tl_heap_counter) != thrd_success)
    return -1;
  int res = 0;
  thrd_join(t, &res);
  return res;
}
