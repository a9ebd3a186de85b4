// One thread fills a buffer with memcpy while another reads it.
// race: global 'buffer'
#include <pthread.h>
#include <stdio.h>
#include <string.h>
char buffer[64];
static const char message[] = "hello from the worker";
static void* fill(void* arg) {
  (void)arg;
  memcpy(buffer, message, sizeof message);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, fill, NULL);
  char copy[64];
  memcpy(copy, buffer, sizeof copy);
  pthread_join(t, NULL);
  printf("%d\n", copy[0] == 'h' || copy[0] == 0);
  return 0;
}
