// ABBA deadlock: two threads take the same two locks in opposite orders.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t accounts = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t audit = PTHREAD_MUTEX_INITIALIZER;

static void* pay(void* arg) {
  (void)arg;
  pthread_mutex_lock(&accounts);
  pthread_mutex_lock(&audit);
  pthread_mutex_unlock(&audit);
  pthread_mutex_unlock(&accounts);
  return NULL;
}

static void* report(void* arg) {
  (void)arg;
  pthread_mutex_lock(&audit);
  pthread_mutex_lock(&accounts);
  pthread_mutex_unlock(&accounts);
  pthread_mutex_unlock(&audit);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, pay, NULL);
  pthread_setname_np(a, "payer");
  pthread_create(&b, NULL, report, NULL);
  pthread_setname_np(b, "auditor");
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  puts("done");
  return 0;
}
