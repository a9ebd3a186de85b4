// Race-free: two threads memcpy into disjoint halves of one buffer.
#include <pthread.h>
#include <string.h>
char buffer[32];
static const char lower[16] = "abcdefghijklmno";
static const char upper[16] = "ABCDEFGHIJKLMNO";
static void* work(void* arg) {
  (void)arg;
  memcpy(buffer + 16, upper, 16);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, work, NULL);
  memcpy(buffer, lower, 16);
  pthread_join(t, NULL);
  return buffer[0] == 'a' && buffer[16] == 'A' ? 0 : 1;
}
