// A schedule that can only time out: a worker waits for bytes on a pipe that nobody writes
// (its write end is open, so no end of file), while main joins it. The timeout report must
// show where each thread was: the worker in read(), main in pthread_join().
#include <pthread.h>
#include <unistd.h>

static int fds[2];

static void* reader(void* arg) {
  (void)arg;
  char c;
  return read(fds[0], &c, 1) == 1 ? &fds[0] : NULL;
}

int main(void) {
  if (pipe(fds) != 0)
    return 2;
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  pthread_join(t, NULL);
  return 0;
}
