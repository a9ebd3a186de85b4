// latch-barrier-misuse: counts that match, and counts the check cannot know.
#include <barrier>
#include <latch>
#include <thread>
#include <vector>

void work();
bool failed();

// case: good
// Two threads for a latch of two; the launcher only waits.
void two_for_two() {
  std::latch l(2);
  std::thread a([&] { l.count_down(); });
  std::thread b([&] { l.count_down(); });
  l.wait();
  a.join();
  b.join();
}

// case: good
// A launch loop that matches the count.
void three_for_three() {
  std::latch done(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&] {
      work();
      done.count_down();
    });
  done.wait();
  for (auto& t : threads)
    t.join();
}

// case: good
// A count known only at run time.
void run_time_count(int n) {
  std::latch l(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { l.count_down(); });
  for (auto& t : threads)
    t.join();
}

// case: good
// One count-down on either branch.
void either_branch(bool fast) {
  std::latch l(1);
  if (fast)
    l.count_down();
  else
    l.count_down();
  l.wait();
}

// case: good
// Two workers and the launcher at a barrier of three.
void barrier_with_me() {
  std::barrier b(3);
  std::thread x([&] { b.arrive_and_wait(); });
  std::thread y([&] { b.arrive_and_wait(); });
  b.arrive_and_wait();
  x.join();
  y.join();
}

// case: good
// Four threads, three phases each, at a barrier of four.
void four_rounds() {
  std::barrier b(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      for (int r = 0; r < 3; ++r)
        b.arrive_and_wait();
    });
  for (auto& t : threads)
    t.join();
}

// case: good
// A barrier sized from the data.
void sized_barrier(const std::vector<int>& parts) {
  std::barrier b(static_cast<std::ptrdiff_t>(parts.size()));
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] { b.arrive_and_wait(); });
  for (auto& t : threads)
    t.join();
}

// case: good
// A launch loop of unknown length.
void unknown_launches(int n) {
  std::latch l(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&] { l.count_down(); });
  for (auto& t : threads)
    t.join();
}

// case: good
// The launcher counts down once and two threads once each: three for three.
void mixed_count() {
  std::latch l(3);
  std::thread a([&] { l.count_down(); });
  std::thread b([&] { l.count_down(); });
  l.arrive_and_wait();
  a.join();
  b.join();
}

// case: good
// Threads that arrive only under a condition are not counted as certain participants.
void conditional_arrivals() {
  std::barrier b(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&b, i] {
      if (i < 3)
        b.arrive_and_wait();
    });
  for (auto& t : threads)
    t.join();
}

// case: good
// arrive_and_wait on a latch, once per thread.
void arrive_three() {
  std::latch start(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&] {
      start.arrive_and_wait();
      work();
    });
  for (auto& t : threads)
    t.join();
}

// case: good
// Two latches, each with its own count.
void two_latches() {
  std::latch a(1);
  std::latch b(2);
  a.count_down();
  b.count_down();
  b.count_down();
  a.wait();
  b.wait();
}

// case: good
// A thread with its own latch.
void inner_latch() {
  std::thread t([] {
    std::latch mine(1);
    mine.count_down();
    mine.wait();
  });
  t.join();
}

// case: good
// A worker that may return before counting down: not a certain count-down.
void early_exit() {
  std::latch l(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&] {
      if (failed())
        return;
      l.count_down();
    });
  for (auto& t : threads)
    t.join();
}

// case: good
// Threads pushed as temporaries: each launch is counted once (the construction, not the push).
void pushed_threads() {
  std::latch l(2);
  std::vector<std::thread> threads;
  threads.push_back(std::thread([&] { l.count_down(); }));
  threads.push_back(std::thread([&] { l.count_down(); }));
  l.wait();
  for (auto& t : threads)
    t.join();
}

// case: good
// The same with jthreads, which join themselves.
void pushed_jthreads() {
  std::latch l(2);
  std::vector<std::jthread> threads;
  threads.push_back(std::jthread([&] { l.count_down(); }));
  threads.push_back(std::jthread([&] { l.count_down(); }));
  l.wait();
}

// case: good
// A barrier's arrive() token, one per thread.
void arrive_tokens() {
  std::barrier b(2);
  std::thread x([&] { b.wait(b.arrive()); });
  std::thread y([&] { b.wait(b.arrive()); });
  x.join();
  y.join();
}
