// Race-free: two threads write neighbouring one-byte fields (distinct memory locations).
#include <pthread.h>
struct flags {
  char left;
  char right;
  short both[2];
};
struct flags f;
static void* work(void* arg) {
  (void)arg;
  f.right = 1;
  f.both[1] = 3;
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  f.left = 2;
  f.both[0] = 4;
  pthread_join(t, NULL);
  return f.left + f.right == 3 ? 0 : 1;
}
