// thread-not-joined: POSIX threads whose handle is lost while the thread is neither joined nor
// detached. The thread's stack and control block are never reclaimed (a zombie thread), and the
// result it computes is lost; in a loop this exhausts the thread limit and pthread_create fails.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct job {
  int id;
  int result;
};

// case: support
static void* run_job(void* arg) {
  struct job* j = arg;
  j->result = j->id * 2;
  return NULL;
}

static void* print_banner(void* arg) {
  (void)arg;
  puts("ready");
  return NULL;
}

static int open_output(const char* path) {
  return path ? 0 : -1;
}

// case: bad
// The banner thread's handle is dropped at the return: never joined, never detached.
int show_banner(void) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, print_banner, NULL) != 0)
    return -1;
  puts("starting");
  return 0; // expect: thread-not-joined
}

// case: bad
// The error path after a successful create returns without pthread_join.
int run_one(struct job* j, const char* out) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_job, j) != 0)
    return -1;
  if (open_output(out) != 0)
    return -2; // expect: thread-not-joined
  pthread_join(tid, NULL);
  return j->result;
}

// case: bad
// A thread per job in a loop; each handle dies at the end of the loop body.
int start_jobs(struct job* jobs, int n) {
  int started = 0;
  for (int i = 0; i < n; ++i) {
    pthread_t tid;
    if (pthread_create(&tid, NULL, run_job, &jobs[i]) == 0)
      ++started;
  } // expect: thread-not-joined
  return started;
}

// case: bad
// The attribute explicitly asks for a joinable thread, and nobody joins it.
void announce(void) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
  pthread_t tid;
  int rc = pthread_create(&tid, &attr, print_banner, NULL);
  pthread_attr_destroy(&attr);
  if (rc != 0)
    fprintf(stderr, "announce: %d\n", rc);
} // expect: thread-not-joined

// case: bad
// Joined only in verbose mode.
int run_logged(struct job* j, int verbose) {
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_job, j) != 0)
    return -1;
  if (verbose) {
    pthread_join(tid, NULL);
    printf("job %d -> %d\n", j->id, j->result);
  }
  return 0; // expect: thread-not-joined
}

// case: bad
// A heap-allocated job whose thread's handle goes out of scope at the end of the function.
void submit_async(int id) {
  struct job* j = malloc(sizeof *j);
  if (!j)
    return;
  j->id = id;
  pthread_t tid;
  if (pthread_create(&tid, NULL, run_job, j) != 0) {
    free(j);
    return;
  }
} // expect: thread-not-joined
