// Both threads write the same field of a struct whose neighbouring field only one thread uses.
// race: global 'state'
#include <pthread.h>
struct pair {
  int mine;
  int shared;
};
struct pair state;
static void* work(void* arg) {
  (void)arg;
  state.shared = 1;
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  state.mine = 5;
  state.shared = 2;
  pthread_join(t, NULL);
  return 0;
}
