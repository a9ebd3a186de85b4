// lock-order-inversion with pthread and C11 mutexes.
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <threads.h>

pthread_mutex_t g_table = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_journal = PTHREAD_MUTEX_INITIALIZER;

// case: bad
// ABBA with pthread mutexes.
void table_insert(void) {
  pthread_mutex_lock(&g_table);
  pthread_mutex_lock(&g_journal);
  pthread_mutex_unlock(&g_journal);
  pthread_mutex_unlock(&g_table);
}
void journal_replay(void) {
  pthread_mutex_lock(&g_journal);
  pthread_mutex_lock(&g_table); // expect: lock-order-inversion
  pthread_mutex_unlock(&g_table);
  pthread_mutex_unlock(&g_journal);
}

struct acct {
  pthread_mutex_t lock;
  long balance;
};

// case: bad
// The transfer deadlock with pthread mutexes.
void acct_transfer(struct acct* from, struct acct* to, long n) {
  pthread_mutex_lock(&from->lock);
  pthread_mutex_lock(&to->lock); // expect: lock-order-inversion
  from->balance -= n;
  to->balance += n;
  pthread_mutex_unlock(&to->lock);
  pthread_mutex_unlock(&from->lock);
}

pthread_mutex_t g_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t g_c = PTHREAD_MUTEX_INITIALIZER;

// case: bad
// A three-lock cycle with pthread mutexes.
void step_ab(void) {
  pthread_mutex_lock(&g_a);
  pthread_mutex_lock(&g_b); // expect: lock-order-inversion
  pthread_mutex_unlock(&g_b);
  pthread_mutex_unlock(&g_a);
}
void step_bc(void) {
  pthread_mutex_lock(&g_b);
  pthread_mutex_lock(&g_c);
  pthread_mutex_unlock(&g_c);
  pthread_mutex_unlock(&g_b);
}
void step_ca(void) {
  pthread_mutex_lock(&g_c);
  pthread_mutex_lock(&g_a);
  pthread_mutex_unlock(&g_a);
  pthread_mutex_unlock(&g_c);
}

mtx_t g_in;
mtx_t g_out;

// case: bad
// C11 mutexes in opposite orders.
void pipe_read(void) {
  mtx_lock(&g_in);
  mtx_lock(&g_out); // expect: lock-order-inversion
  mtx_unlock(&g_out);
  mtx_unlock(&g_in);
}
void pipe_write(void) {
  mtx_lock(&g_out);
  mtx_lock(&g_in);
  mtx_unlock(&g_in);
  mtx_unlock(&g_out);
}

pthread_rwlock_t g_routes = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t g_stats = PTHREAD_MUTEX_INITIALIZER;

// case: bad
// A read lock then a mutex, and the mutex then a write lock.
void route_lookup(void) {
  pthread_rwlock_rdlock(&g_routes);
  pthread_mutex_lock(&g_stats); // expect: lock-order-inversion
  pthread_mutex_unlock(&g_stats);
  pthread_rwlock_unlock(&g_routes);
}
void stats_reset(void) {
  pthread_mutex_lock(&g_stats);
  pthread_rwlock_wrlock(&g_routes);
  pthread_rwlock_unlock(&g_routes);
  pthread_mutex_unlock(&g_stats);
}
