// Forks before its first thread; parent and child then both start a thread. Only the process
// `threadcheck run` started is explored: the child runs natively and is not counted. With
// FORKFIRST_BUG set, the parent's threads race on an assertion (found in some schedules).
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
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
  pid_t child = fork();
  if (child < 0)
    return 3;
  pthread_t t;
  pthread_create(&t, 0, work, 0);
  pthread_mutex_lock(&mu);
  int seen = counter;
  ++counter;
  pthread_mutex_unlock(&mu);
  if (child > 0 && getenv("FORKFIRST_BUG"))
    assert(seen == 0); // fails when the thread ran first
  pthread_join(t, 0);
  if (child > 0) {
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return 4;
  }
  printf("%s: %d\n", child ? "parent" : "child", counter);
  return counter == 2 ? 0 : 5;
}
