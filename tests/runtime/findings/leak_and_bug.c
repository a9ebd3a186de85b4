// Every schedule leaks a detached thread (it is still running at exit), and some schedules also
// fail an assertion: the leak must not stop the search for the assertion (issue #14 item 9).
#include <assert.h>
#include <pthread.h>
#include <unistd.h>

static int counter;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void* leaker(void* arg) {
  (void)arg;
  for (;;)
    usleep(1000);
  return 0;
}

__attribute__((noinline)) static void* adder(void* arg) {
  (void)arg;
  pthread_mutex_lock(&mu);
  int v = counter;
  pthread_mutex_unlock(&mu);
  pthread_mutex_lock(&mu);
  counter = v + 1; // lost update: the read and the write are two critical sections
  pthread_mutex_unlock(&mu);
  return 0;
}

__attribute__((noinline)) static void check_total(void) {
  assert(counter == 2);
}

int main(void) {
  pthread_t l, a, b;
  pthread_create(&l, 0, leaker, 0);
  pthread_detach(l);
  pthread_create(&a, 0, adder, 0);
  pthread_create(&b, 0, adder, 0);
  pthread_join(a, 0);
  pthread_join(b, 0);
  check_total();
  return 0;
}
