// One thread clears a table with memset while another writes an entry.
// race: global 'table'
#include <pthread.h>
#include <string.h>
int table[16];
// A length gcc cannot see: it expands a constant-size memset inline without instrumentation.
static volatile size_t table_size = sizeof table;
static void* reset(void* arg) {
  (void)arg;
  memset(table, 0, table_size);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, reset, NULL);
  table[3] = 7;
  pthread_join(t, NULL);
  return 0;
}
