// semaphore-over-release: releases that stay within the bound, or that cannot be proven not to.
#include <semaphore>
#include <thread>
#include <vector>

class Signal {
public:
  void notify() { ready_.release(); }
  void wait() { ready_.acquire(); }
  void notify_after(void (*step)());

private:
  std::binary_semaphore ready_{0};
};

// case: good
// One release per call of a member binary semaphore.
void notify_once(Signal& s) {
  s.notify();
}

void log_line();

// case: good
// Another call between the releases: the waiter may have taken the first one meanwhile, and the
// check does not guess.
void Signal::notify_after(void (*step)()) {
  ready_.release();
  step();
  ready_.release();
}

// case: good
// Release, acquire, release.
void ping_pong_local() {
  std::binary_semaphore s(0);
  s.release();
  s.acquire();
  s.release();
  s.acquire();
}

// case: good
// A pool: take one, give it back.
void use_pool_once() {
  std::counting_semaphore<8> pool(2);
  pool.acquire();
  pool.release();
}

// case: good
// Releases below a large maximum.
void fill_up() {
  std::counting_semaphore<10> s(0);
  s.release();
  s.release();
  s.release();
  s.acquire();
}

// case: good
// A count only known at run time.
void release_n(int n) {
  std::counting_semaphore<4> s(0);
  s.release(n);
}

// case: good
// Acquire and release under the same condition: the pool never exceeds 1.
void correlated(bool take) {
  std::counting_semaphore<4> pool(1);
  if (take)
    pool.acquire();
  if (take)
    pool.release();
}

bool more_work();
void work();

// case: good
// Acquire and release in a loop of unknown length.
void worker_loop() {
  std::counting_semaphore<4> pool(4);
  while (more_work()) {
    pool.acquire();
    work();
    pool.release();
  }
}

// case: good
// Each thread releases once; the launcher acquires as many times.
void gather() {
  std::counting_semaphore<4> done(0);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { done.release(); });
  for (int i = 0; i < 4; ++i)
    done.acquire();
  for (auto& t : threads)
    t.join();
}

// case: good
// A local semaphore handed to a thread that acquires: the join lets the thread take the first
// release before the second.
void hand_over() {
  std::binary_semaphore s(0);
  std::thread t([&] { s.acquire(); });
  s.release();
  t.join();
  s.release();
}

// case: good
// The default maximum is large.
void release_many() {
  std::counting_semaphore<> s(0);
  s.release(1000);
}

// case: good
// Only the successful try_acquire is paired with a release.
void try_use() {
  std::binary_semaphore s(1);
  if (s.try_acquire()) {
    work();
    s.release();
  }
}

// case: good
// Alternatives in a switch: one release each.
void signal_mode(int mode) {
  std::binary_semaphore s(0);
  switch (mode) {
  case 0:
    s.release();
    break;
  case 1:
    s.release();
    break;
  default:
    break;
  }
}

// case: good
// Two different semaphores, one release each.
void two_semaphores() {
  std::binary_semaphore a(0);
  std::binary_semaphore b(0);
  a.release();
  b.release();
  a.acquire();
  b.acquire();
}
