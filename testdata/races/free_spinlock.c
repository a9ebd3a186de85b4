// Race-free through a pthread spinlock.
#include <pthread.h>
long total;
pthread_spinlock_t spin;
static void* work(void* arg) {
  (void)arg;
  pthread_spin_lock(&spin);
  total += 1;
  pthread_spin_unlock(&spin);
  return NULL;
}
int main(void) {
  pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return total == 2 ? 0 : 1;
}
