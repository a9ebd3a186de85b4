// One thread clears a table with memset while another writes an entry.
// race: global 'table'
#include <pthread.h>
#include <string.h>
int table[16];
static void* reset(void* arg) {
  (void)arg;
  memset(table, 0, sizeof table);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, reset, NULL);
  table[3] = 7;
  pthread_join(t, NULL);
  return 0;
}
