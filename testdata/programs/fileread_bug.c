// Workers read numbers from a file that main opened and filled before the first thread started
// (pbzip2 reads its input this way). Every schedule must read the whole file: each schedule's
// process starts from the file offset of the fork point, not where the last schedule left it.
// Bug: a worker adds its number to a total it read before taking the lock (a lost update).
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kNumbers = 40, kWorkers = 2 };

static FILE* g_in;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static long g_sum;
static int g_count;

static void* worker(void* arg) {
  (void)arg;
  char line[32];
  for (;;) {
    long before = g_sum;
    pthread_mutex_lock(&g_mu);
    char* got = fgets(line, sizeof line, g_in);
    if (got) {
      g_sum = before + atol(line);
      ++g_count;
    }
    pthread_mutex_unlock(&g_mu);
    if (!got)
      return NULL;
  }
}

int main(void) {
  g_in = tmpfile();
  if (!g_in)
    return 2;
  for (int i = 1; i <= kNumbers; ++i)
    fprintf(g_in, "%d\n", i);
  rewind(g_in);
  pthread_t t[kWorkers];
  for (int i = 0; i < kWorkers; ++i)
    if (pthread_create(&t[i], NULL, worker, NULL) != 0)
      return 2;
  for (int i = 0; i < kWorkers; ++i)
    pthread_join(t[i], NULL);
  assert(g_count == kNumbers);
  assert(g_sum == kNumbers * (kNumbers + 1) / 2);
  fclose(g_in);
  return 0;
}
