// Race-free through a reader/writer lock: readers read together, the writer writes alone.
#include <pthread.h>
int setting = 1;
int seen[2];
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static void* reader(void* arg) {
  int i = *(int*)arg;
  pthread_rwlock_rdlock(&rw);
  seen[i] = setting;
  pthread_rwlock_unlock(&rw);
  return NULL;
}
static void* writer(void* arg) {
  (void)arg;
  pthread_rwlock_wrlock(&rw);
  setting = 2;
  pthread_rwlock_unlock(&rw);
  return NULL;
}
int main(void) {
  int ids[2] = {0, 1};
  pthread_t r0, r1, w;
  pthread_create(&r0, NULL, reader, &ids[0]);
  pthread_create(&w, NULL, writer, NULL);
  pthread_create(&r1, NULL, reader, &ids[1]);
  pthread_join(r0, NULL);
  pthread_join(r1, NULL);
  pthread_join(w, NULL);
  return seen[0] > 0 && seen[1] > 0 ? 0 : 1;
}
