// link: -luv
// libuv's event loop and thread pool, as a libuv program uses them: jobs queued with
// uv_queue_work run on the pool's threads (which wait on a uv_cond), their completions come back
// to the loop thread through an eventfd that the loop waits on in epoll_wait, and a thread of
// the program's own wakes the loop with uv_async_send. Each job takes a ticket under the mutex.
#include <assert.h>
#include <uv.h>

enum { kJobs = 6 };

static uv_mutex_t g_mu;
static int g_next_ticket;
static int g_done;
static int g_woken;
static uv_async_t g_async;

static void work(uv_work_t* req) {
  (void)req;
  uv_mutex_lock(&g_mu);
  ++g_next_ticket;
  uv_mutex_unlock(&g_mu);
}

static void after_work(uv_work_t* req, int status) {
  (void)req;
  assert(status == 0);
  ++g_done;
}

static void on_async(uv_async_t* handle) {
  ++g_woken;
  uv_close((uv_handle_t*)handle, NULL);
}

static void waker(void* arg) {
  (void)arg;
  uv_async_send(&g_async);
}

int main(void) {
  uv_loop_t* loop = uv_default_loop();
  uv_mutex_init(&g_mu);
  uv_async_init(loop, &g_async, on_async);
  static uv_work_t reqs[kJobs];
  for (int i = 0; i < kJobs; ++i)
    uv_queue_work(loop, &reqs[i], work, after_work);
  uv_thread_t t;
  uv_thread_create(&t, waker, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  uv_thread_join(&t);
  assert(g_done == kJobs);
  assert(g_woken == 1);
  uv_mutex_lock(&g_mu);
  assert(g_next_ticket == kJobs);
  uv_mutex_unlock(&g_mu);
  uv_mutex_destroy(&g_mu);
  uv_loop_close(loop);
  return 0;
}
