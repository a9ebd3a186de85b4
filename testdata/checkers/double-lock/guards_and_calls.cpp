// double-lock: std::lock over a unique_lock that already owns its mutex, a mutex locked by hand
// that std::lock's guard already owns, and a lock taken again two calls deep.
#include <mutex>

std::mutex g_queue_mu, g_pool_mu;
int g_queued, g_pooled;

// case: bad
// `queue` already owns g_queue_mu: std::lock calls its lock() again, which throws
// resource_deadlock_would_occur (and a plain mutex would deadlock).
void requeue_all() {
  std::unique_lock<std::mutex> queue(g_queue_mu);
  std::unique_lock<std::mutex> pool(g_pool_mu, std::defer_lock);
  std::lock(queue, pool); // expect: double-lock
  g_queued += g_pooled;
}

// case: bad
// std::lock left the guard owning g_pool_mu; locking the mutex by hand deadlocks.
void drain_pool() {
  std::unique_lock<std::mutex> queue(g_queue_mu, std::defer_lock);
  std::unique_lock<std::mutex> pool(g_pool_mu, std::defer_lock);
  std::lock(queue, pool);
  g_pool_mu.lock(); // expect: double-lock
  g_pooled = 0;
  g_pool_mu.unlock();
}

// case: good
// After the guard gives its mutex back, taking it again by hand is fine.
void drain_pool_in_two_steps() {
  std::unique_lock<std::mutex> queue(g_queue_mu, std::defer_lock);
  std::unique_lock<std::mutex> pool(g_pool_mu, std::defer_lock);
  std::lock(queue, pool);
  pool.unlock();
  g_pool_mu.lock();
  g_pooled = 0;
  g_pool_mu.unlock();
}

// case: support
void count_queued() {
  std::lock_guard<std::mutex> g(g_queue_mu);
  ++g_queued;
}
void count_queued_twice() {
  count_queued();
  count_queued();
}

// case: bad
// count_queued_twice reaches g_queue_mu through count_queued, two calls below a caller that
// already holds it.
void enqueue_and_count() {
  std::lock_guard<std::mutex> g(g_queue_mu);
  count_queued_twice(); // expect: double-lock
}

// case: good
// The same call chain with the lock released first.
void enqueue_then_count() {
  {
    std::lock_guard<std::mutex> g(g_queue_mu);
    ++g_queued;
  }
  count_queued_twice();
}
