// Two readers read a value concurrently (no race between them); a third thread writes it.
// race: global 'limit'
#include <pthread.h>
#include <stdio.h>
int limit = 10;
int seen[2];
static void* reader(void* arg) {
  int i = *(int*)arg;
  seen[i] = limit;
  return NULL;
}
static void* writer(void* arg) {
  (void)arg;
  limit = 20;
  return NULL;
}
int main(void) {
  pthread_t r[2], w;
  int ids[2] = {0, 1};
  pthread_create(&r[0], NULL, reader, &ids[0]);
  pthread_create(&r[1], NULL, reader, &ids[1]);
  pthread_create(&w, NULL, writer, NULL);
  pthread_join(r[0], NULL);
  pthread_join(r[1], NULL);
  pthread_join(w, NULL);
  printf("%d\n", seen[0] + seen[1] > 0);
  return 0;
}
