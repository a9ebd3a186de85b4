// A file-local condition variable with the same name as good_posix.c's, and another mutex.
#include <pthread.h>

static pthread_mutex_t s_other_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t s_cv = PTHREAD_COND_INITIALIZER;
static int s_ready;

// case: good
// Internal linkage: this s_cv is not good_posix.c's s_cv.
void await_other_ready(void) {
  pthread_mutex_lock(&s_other_lock);
  while (!s_ready)
    pthread_cond_wait(&s_cv, &s_other_lock);
  pthread_mutex_unlock(&s_other_lock);
}
