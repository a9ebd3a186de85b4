// Race-free through C11 threads: mtx_t and cnd_t.
#include <threads.h>
int item;
int ready;
mtx_t m;
cnd_t c;
static int producer(void* arg) {
  (void)arg;
  mtx_lock(&m);
  item = 11;
  ready = 1;
  cnd_signal(&c);
  mtx_unlock(&m);
  return 0;
}
int main(void) {
  mtx_init(&m, mtx_plain);
  cnd_init(&c);
  thrd_t t;
  thrd_create(&t, producer, NULL);
  mtx_lock(&m);
  while (!ready)
    cnd_wait(&c, &m);
  int v = item;
  mtx_unlock(&m);
  thrd_join(t, NULL);
  return v == 11 ? 0 : 1;
}
