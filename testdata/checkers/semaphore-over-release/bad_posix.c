// semaphore-over-release: POSIX semaphores set up as pools and posted above their size.
#include <semaphore.h>

// case: bad
// A pool of one, posted before anything was taken: two threads now pass.
void pool_post_unused(void) {
  sem_t s;
  sem_init(&s, 0, 1);
  sem_post(&s); // expect: semaphore-over-release
  sem_destroy(&s);
}

// case: bad
// One wait, two posts.
void pool_post_twice(void) {
  sem_t s;
  sem_init(&s, 0, 1);
  sem_wait(&s);
  sem_post(&s);
  sem_post(&s); // expect: semaphore-over-release
  sem_destroy(&s);
}

sem_t g_pool;

// case: bad
// A global pool of 2 initialised here and posted at once.
void pool_setup(void) {
  sem_init(&g_pool, 0, 2);
  sem_post(&g_pool); // expect: semaphore-over-release
}

struct conn_pool {
  sem_t slots;
  int size;
};

// case: bad
// A member semaphore: initialised to 4 free slots, then "returned" one more.
void conn_pool_init(struct conn_pool* p) {
  sem_init(&p->slots, 0, 4);
  p->size = 4;
  sem_post(&p->slots); // expect: semaphore-over-release
}
