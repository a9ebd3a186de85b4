// detached-holds-resource: detached std::threads whose entry never returns (a daemon killed
// mid-work when main returns: a half-written record, a mutex held forever while static
// destructors run) or returns still holding a lock it took (every later locker blocks forever).
#include "daemon.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

namespace {
std::mutex g_cfg_mu;
bool g_cfg_loaded = false;
std::mutex g_cache_mu;
int g_cache_entries = 0;
std::timed_mutex g_index_mu;
int g_index_pages = 0;
std::recursive_mutex g_tree_mu;
int g_tree_nodes = 0;
} // namespace

// case: support
void send_ping() noexcept {
  std::puts("ping");
}

// case: bad
// A heartbeat lambda with no way out of its loop.
void start_heartbeat() {
  std::thread([] { // expect: detached-holds-resource
    for (;;) {
      send_ping();
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  })
      .detach();
}

// case: bad
// A named entry function that loops forever.
void cache_janitor() {
  while (true) {
    {
      std::lock_guard<std::mutex> g(g_cache_mu);
      g_cache_entries /= 2;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void start_janitor() {
  std::thread t(cache_janitor); // expect: detached-holds-resource
  t.detach();
}

class EventSink {
public:
  void start();
  void post(int e) {
    {
      std::lock_guard<std::mutex> g(mu_);
      events_.push_back(e);
    }
    cv_.notify_one();
  }

private:
  void drain();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> events_;
};

// case: bad
// A consumer loop without a shutdown condition: killed at exit, possibly inside the critical
// section or in the middle of writing an event.
void EventSink::drain() {
  for (;;) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return !events_.empty(); });
    int e = events_.front();
    events_.pop_front();
    lk.unlock();
    std::printf("event %d\n", e);
  }
}

void EventSink::start() {
  std::thread(&EventSink::drain, this).detach(); // expect: detached-holds-resource
}

// case: bad
// The early return leaves the cache lock held (lock-not-released in the entry as well).
void start_cache_trim(bool dry_run) {
  std::thread t([dry_run] { // expect: detached-holds-resource
    g_cache_mu.lock();
    if (dry_run)
      return; // expect: lock-not-released
    g_cache_entries = 0;
    g_cache_mu.unlock();
  });
  t.detach();
}

// case: bad
// The C accept loop in daemon_entry.c never returns.
void start_server(int port) {
  std::thread([port] { serve_forever(port); }).detach(); // expect: detached-holds-resource
}

// case: bad
// The config loader locks and returns without unlocking on every path: the thread exits owning
// the mutex, and every later reader of the configuration hangs.
void load_config_locked() noexcept {
  g_cfg_mu.lock();
  g_cfg_loaded = true;
}

void start_config_load() {
  std::thread(load_config_locked).detach(); // expect: detached-holds-resource
}

// case: bad
// `continue` is the only thing the loop does besides its work: there is no break or return.
void start_poller(std::atomic<int>* pending) {
  std::thread t([pending] { // expect: detached-holds-resource
    for (;;) {
      if (pending->load() == 0) {
        std::this_thread::yield();
        continue;
      }
      pending->fetch_sub(1);
    }
  });
  t.detach();
}

// case: bad
// A do-while(true) sampler.
void start_sampler_loop() {
  std::thread([] { // expect: detached-holds-resource
    do {
      std::lock_guard<std::mutex> g(g_cache_mu);
      ++g_cache_entries;
    } while (true);
  })
      .detach();
}

// case: bad
// A detached jthread is a detached thread: the loop ignores any stop request.
void start_detached_jthread() {
  std::jthread t([] { // expect: detached-holds-resource
    while (true)
      send_ping();
  });
  t.detach();
}

// Runs the event loop forever; called by the entry below.
void run_event_loop() {
  for (;;)
    send_ping();
}

// case: bad
// The infinite loop is in a function the entry calls (its summary says it never returns).
void start_event_loop() {
  std::thread t([] { run_event_loop(); }); // expect: detached-holds-resource
  t.detach();
}

// case: bad
// unique_lock::release() gives up ownership without unlocking: the thread returns holding the lock.
void start_index_flush() {
  std::thread([] { // expect: detached-holds-resource
    std::unique_lock<std::timed_mutex> lk(g_index_mu);
    g_index_pages = 0;
    lk.release();
  })
      .detach();
}

// case: bad
// The recursive mutex is taken twice and released once.
void start_tree_rebalance() {
  std::thread([] { // expect: detached-holds-resource
    g_tree_mu.lock();
    g_tree_mu.lock();
    ++g_tree_nodes;
    g_tree_mu.unlock();
  })
      .detach();
}
