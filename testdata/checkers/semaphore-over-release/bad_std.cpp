// semaphore-over-release: std::counting_semaphore / binary_semaphore released past their bound.
#include <semaphore>
#include <thread>

// case: bad
// A binary semaphore released twice with no acquire in between: its count would be 2.
void signal_twice_local() {
  std::binary_semaphore s(0);
  s.release();
  s.release(); // expect: semaphore-over-release
  s.acquire();
}

// case: bad
// A semaphore created full and released before anything was taken.
void give_back_unused() {
  std::counting_semaphore<4> slots(4);
  slots.release(); // expect: semaphore-over-release
  slots.acquire();
}

class Limiter {
public:
  void reset();
  void wake();

private:
  std::counting_semaphore<4> sem_{0};
  std::binary_semaphore ready_{0};
};

// case: bad
// release(n) with n above the declared maximum can never be right.
void Limiter::reset() {
  sem_.release(5); // expect: semaphore-over-release
}

// case: bad
// A member binary semaphore released twice in a row: whoever waits may not have taken the first
// one yet, so the count can reach 2.
void Limiter::wake() {
  ready_.release();
  ready_.release(); // expect: semaphore-over-release
}

// case: bad
// A pool of 2: one acquire, two releases on every path.
void use_pool_twice() {
  std::counting_semaphore<8> pool(2);
  pool.acquire();
  pool.release();
  pool.release(); // expect: semaphore-over-release
}

// case: bad
// A retry branch that releases once more: over the bound whenever it is taken.
void signal_retry(bool retry) {
  std::binary_semaphore s(0);
  s.release();
  if (retry)
    s.release(); // expect: semaphore-over-release
  s.acquire();
}

// case: bad
// A loop with a constant trip count: the second iteration exceeds the bound.
void signal_three() {
  std::binary_semaphore s(0);
  for (int i = 0; i < 3; ++i)
    s.release(); // expect: semaphore-over-release
  s.acquire();
}

// case: bad
// release(2) on a binary semaphore.
void release_two() {
  std::binary_semaphore b(0);
  b.release(2); // expect: semaphore-over-release
}

std::binary_semaphore g_go(0);

// case: bad
// A global binary semaphore released twice back to back.
void start_all() {
  g_go.release();
  g_go.release(); // expect: semaphore-over-release
}

// case: bad
// Through a reference parameter: the same object twice.
void signal_param(std::binary_semaphore& s) {
  s.release();
  s.release(); // expect: semaphore-over-release
}

// case: bad
// try_acquire may fail: the count is only known to be at least 0 after it.
void try_then_release() {
  std::binary_semaphore s(1);
  (void)s.try_acquire();
  s.release();
  s.release(); // expect: semaphore-over-release
}

// case: bad
// In a lambda: the captured semaphore is released twice in a row.
void lambda_release() {
  std::binary_semaphore done(0);
  auto finish = [&] {
    done.release();
    done.release(); // expect: semaphore-over-release
  };
  std::thread t(finish);
  done.acquire();
  t.join();
}

// case: bad
// Released on both branches, then once more.
void release_after_branches(bool fast) {
  std::binary_semaphore s(0);
  if (fast)
    s.release();
  else
    s.release();
  s.release(); // expect: semaphore-over-release
  s.acquire();
}

// case: bad
// A counting semaphore of 2 released by 2, then by 1.
void release_in_parts() {
  std::counting_semaphore<2> s(0);
  s.release(2);
  s.release(); // expect: semaphore-over-release
}
