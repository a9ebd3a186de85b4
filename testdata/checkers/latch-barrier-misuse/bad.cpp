// latch-barrier-misuse: latches counted down past zero and barriers with more participants than
// their expected count, where one function shows both.
#include <barrier>
#include <future>
#include <latch>
#include <thread>
#include <vector>

void work();

// case: bad
// Three count-downs on a latch of two.
void count_three() {
  std::latch l(2);
  l.count_down();
  l.count_down();
  l.count_down(); // expect: latch-barrier-misuse
}

// case: bad
// count_down(3) on a latch of two.
void count_by_three() {
  std::latch l(2);
  l.count_down(3); // expect: latch-barrier-misuse
}

// case: bad
// Four workers count down a latch that expects three.
void start_workers() {
  std::latch done(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { // expect: latch-barrier-misuse
      work();
      done.count_down();
    });
  done.wait();
  for (auto& t : threads)
    t.join();
}

// case: bad
// Two threads and the launcher itself arrive at a latch of two.
void two_threads_and_me() {
  std::latch l(2);
  std::thread a([&] { l.count_down(); });
  std::thread b([&] { l.count_down(); });
  l.arrive_and_wait(); // expect: latch-barrier-misuse
  a.join();
  b.join();
}

// case: bad
// jthreads counting down by two each: the third exceeds four.
void count_by_two() {
  std::latch l(4);
  std::vector<std::jthread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&] { l.count_down(2); }); // expect: latch-barrier-misuse
}

std::latch g_ready(3);

// case: bad
// A global latch counted down once too often by an off-by-one loop.
void mark_ready() {
  for (int i = 0; i <= 3; ++i)
    g_ready.count_down(); // expect: latch-barrier-misuse
}

// case: bad
// A range-for over three ids launches three threads for a latch of two.
void start_ids() {
  std::latch l(2);
  std::vector<std::thread> threads;
  for (int id : {1, 2, 3})
    threads.emplace_back([&l, id] { // expect: latch-barrier-misuse
      (void)id;
      l.count_down();
    });
  for (auto& t : threads)
    t.join();
}

// case: bad
// Counted down before the branch, and again on either side of it.
void count_branches(bool fast) {
  std::latch l(1);
  l.count_down();
  if (fast)
    l.count_down(); // expect: latch-barrier-misuse
  else
    work();
}

// case: bad
// std::async tasks count down too.
void async_tasks() {
  std::latch l(1);
  auto a = std::async(std::launch::async, [&] { l.count_down(); });
  auto b = std::async(std::launch::async, [&] { l.count_down(); }); // expect: latch-barrier-misuse
  a.wait();
  b.wait();
}

std::latch g_started(2);
void started_worker() {
  g_started.count_down();
}

// case: bad
// Threads started with a function that counts down a global latch.
void start_function_workers() {
  std::thread a(started_worker);
  std::thread b(started_worker);
  std::thread c(started_worker); // expect: latch-barrier-misuse
  a.join();
  b.join();
  c.join();
}

// case: bad
// The example from the issue: a barrier of three, four threads.
void phases() {
  std::barrier b(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { b.arrive_and_wait(); }); // expect: latch-barrier-misuse
  for (auto& t : threads)
    t.join();
}

// case: bad
// Two workers and the launcher at a barrier of two.
void phases_with_me() {
  std::barrier b(2);
  std::thread x([&] { b.arrive_and_wait(); });
  std::thread y([&] { b.arrive_and_wait(); });
  b.arrive_and_wait(); // expect: latch-barrier-misuse
  x.join();
  y.join();
}

// case: bad
// A barrier with a completion function, three jthreads for two.
void phases_completion() {
  std::barrier b(2, []() noexcept {});
  std::jthread x([&] { b.arrive_and_wait(); });
  std::jthread y([&] { b.arrive_and_wait(); });
  std::jthread z([&] { b.arrive_and_wait(); }); // expect: latch-barrier-misuse
}

// case: bad
// arrive_and_drop still arrives in the current phase.
void phases_drop() {
  std::barrier b(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&] { b.arrive_and_drop(); }); // expect: latch-barrier-misuse
  for (auto& t : threads)
    t.join();
}

// case: bad
// Threads that each run three phases: five of them for a barrier of four.
void rounds() {
  std::barrier b(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i)
    threads.emplace_back([&] { // expect: latch-barrier-misuse
      for (int r = 0; r < 3; ++r)
        b.arrive_and_wait();
    });
  for (auto& t : threads)
    t.join();
}
