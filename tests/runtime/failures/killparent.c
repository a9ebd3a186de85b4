// A program that kills its own parent in some schedules: under `threadcheck run` the parent of a
// schedule is the fork server, so the exploration ends there and must be reported as broken off,
// never as clean. Run natively, the parent is the shell.
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static int counter;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void* work(void* arg) {
  pthread_mutex_lock(&mu);
  ++counter;
  pthread_mutex_unlock(&mu);
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, 0, work, 0);
  pthread_mutex_lock(&mu);
  int seen = counter;
  pthread_mutex_unlock(&mu);
  pthread_join(t, 0);
  // Only in the schedules where the thread ran first.
  if (seen == 1 && getenv("KILL_PARENT"))
    kill(getppid(), SIGKILL);
  return 0;
}
