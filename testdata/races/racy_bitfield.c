// Bit-fields in the same byte are one memory location: writing different ones races.
// race: global 'flags'
#include <pthread.h>
struct bits {
  unsigned ready : 1;
  unsigned done : 1;
};
struct bits flags;
static void* work(void* arg) {
  (void)arg;
  flags.done = 1;
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  flags.ready = 1;
  pthread_join(t, NULL);
  return 0;
}
