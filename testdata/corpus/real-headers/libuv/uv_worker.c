// A libuv user: uv_mutex/uv_cond around a result list, uv_thread workers, the loop's work queue
// (uv_queue_work) and uv_async to wake the loop.
#include <stdlib.h>
#include <uv.h>

struct results {
  uv_mutex_t mu;
  uv_cond_t cond;
  int count;
  int done;
};

static struct results g_results;

// case: good
static void results_add(struct results* r) {
  uv_mutex_lock(&r->mu);
  r->count++;
  uv_cond_signal(&r->cond);
  uv_mutex_unlock(&r->mu);
}

// case: good
static int results_wait(struct results* r, int want) {
  uv_mutex_lock(&r->mu);
  while (r->count < want && !r->done)
    uv_cond_wait(&r->cond, &r->mu);
  int n = r->count;
  uv_mutex_unlock(&r->mu);
  return n;
}

// case: bad
// Returns early with the mutex held when asked to stop.
static int results_take(struct results* r) {
  uv_mutex_lock(&r->mu);
  if (r->done)
    return -1; // expect: lock-not-released
  int n = r->count;
  r->count = 0;
  uv_mutex_unlock(&r->mu);
  return n;
}

// case: good
static void work_cb(uv_work_t* req) {
  (void)req;
  results_add(&g_results);
}

static void after_work_cb(uv_work_t* req, int status) {
  (void)status;
  free(req);
}

static void thread_main(void* arg) { results_add((struct results*)arg); }

// case: good
int uv_main(void) {
  uv_loop_t* loop = uv_default_loop();
  if (uv_mutex_init(&g_results.mu) || uv_cond_init(&g_results.cond))
    return 1;
  uv_thread_t t;
  if (uv_thread_create(&t, thread_main, &g_results))
    return 1;
  for (int i = 0; i < 4; i++) {
    uv_work_t* req = malloc(sizeof *req);
    if (!req || uv_queue_work(loop, req, work_cb, after_work_cb))
      return 1;
  }
  uv_run(loop, UV_RUN_DEFAULT);
  uv_thread_join(&t);
  int n = results_wait(&g_results, 5);
  n += results_take(&g_results);
  uv_cond_destroy(&g_results.cond);
  uv_mutex_destroy(&g_results.mu);
  return n;
}
