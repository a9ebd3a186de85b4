// detached-holds-resource: detached std::threads that finish (bounded work, loops with a stop flag
// or a closing condition) and release every lock they take; long-running loops in threads that are
// joined or auto-joined.
#include "daemon.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stop_token>
#include <thread>

namespace {
std::mutex g_stats_mu;
long g_hits = 0;
std::mutex g_left_mu;
std::mutex g_right_mu;
long g_moved = 0;
std::timed_mutex g_slow_mu;
long g_slow_work = 0;
std::recursive_mutex g_nested_mu;
int g_nested = 0;
std::atomic<bool> g_quit{false};
} // namespace

// case: support
void note_hit() noexcept {
  std::puts("hit");
}

// case: good
// Bounded work under a guard.
void count_hit_async() {
  std::thread([] {
    std::lock_guard<std::mutex> g(g_stats_mu);
    ++g_hits;
  }).detach();
}

// case: good
// A polling loop that ends when the global quit flag is set.
void start_poll_until_quit() {
  std::thread t([] {
    while (!g_quit.load()) {
      note_hit();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  t.detach();
}

class Mailbox {
public:
  void start() { std::thread(&Mailbox::run, this).detach(); }
  void close() {
    {
      std::lock_guard<std::mutex> g(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

private:
  void run();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> mail_;
  bool closed_ = false;
};

// case: good
// A consumer loop that returns once the mailbox is closed and drained.
void Mailbox::run() {
  for (;;) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return closed_ || !mail_.empty(); });
    if (mail_.empty())
      return;
    int m = mail_.front();
    mail_.pop_front();
    lk.unlock();
    std::printf("mail %d\n", m);
  }
}

// case: good
// The C accept loop that ends when the listener closes (daemon_entry.c).
void start_closable_server(int port) {
  std::thread([port] { serve_until_closed(port); }).detach();
}

// case: good
// The lock is released before the slow part, and the entry returns.
void start_slow_job() {
  std::thread([] {
    std::unique_lock<std::timed_mutex> lk(g_slow_mu);
    long work = ++g_slow_work;
    lk.unlock();
    std::printf("job %ld\n", work);
  }).detach();
}

// case: good
// Two mutexes taken together and released together.
void start_transfer() {
  std::thread([] {
    std::scoped_lock both(g_left_mu, g_right_mu);
    ++g_moved;
  }).detach();
}

// case: good
// Manual lock and unlock with only noexcept work between them.
void start_manual_bump() {
  std::thread t([] {
    g_stats_mu.lock();
    ++g_hits;
    g_stats_mu.unlock();
  });
  t.detach();
}

// case: good
// The recursive mutex is unlocked as many times as it is locked.
void start_nested() {
  std::thread([] {
    g_nested_mu.lock();
    g_nested_mu.lock();
    ++g_nested;
    g_nested_mu.unlock();
    g_nested_mu.unlock();
  }).detach();
}

// case: good
// try_lock_for failed: nothing held; succeeded: adopted by a guard.
void start_try_slow() {
  std::thread([] {
    if (!g_slow_mu.try_lock_for(std::chrono::milliseconds(5)))
      return;
    std::lock_guard<std::timed_mutex> g(g_slow_mu, std::adopt_lock);
    ++g_slow_work;
  }).detach();
}

// case: good
// An infinite loop with a break on the quit flag.
void start_ticker() {
  std::thread([] {
    while (true) {
      if (g_quit.load())
        break;
      note_hit();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }).detach();
}

// case: good
// A std::jthread loop that honours its stop token; the jthread joins it on destruction.
void run_with_jthread() {
  std::jthread worker([](std::stop_token st) {
    while (!st.stop_requested())
      note_hit();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// case: good
// A long-running loop in a joined thread is not a daemon: nothing is killed at exit.
void serve_in_foreground(int port) {
  std::thread t(serve_forever, port);
  t.join();
}
