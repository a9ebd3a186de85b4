// The logic of testdata/programs as re-runnable test bodies: each takes whether to run the fixed
// twin, and keeps its state in locals so that every run starts afresh.
#pragma once

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace buggy {

// abba_bug.c: two threads take the same two locks in opposite orders.
inline void abba(bool fixed) {
  std::mutex accounts, audit;
  std::thread payer([&] {
    std::lock_guard a(accounts);
    std::lock_guard b(audit);
  });
  std::thread auditor([&] {
    if (fixed) {
      std::lock_guard a(accounts);
      std::lock_guard b(audit);
    } else {
      std::lock_guard b(audit);
      std::lock_guard a(accounts);
    }
  });
  payer.join();
  auditor.join();
}

// lostwakeup_bug.cpp: notify without the mutex, wait without a predicate.
inline void lostWakeup(bool fixed) {
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  std::thread consumer([&] {
    std::unique_lock lock(m);
    if (fixed)
      cv.wait(lock, [&] { return ready; });
    else if (!ready)
      cv.wait(lock);
  });
  std::thread producer([&] {
    if (fixed) {
      std::lock_guard lock(m);
      ready = true;
    } else {
      ready = true;
    }
    cv.notify_one();
  });
  consumer.join();
  producer.join();
}

// counter_bug.c: unprotected check-then-act on the last ticket. Returns the tickets sold.
inline int ticketsSold(bool fixed) {
  int tickets = 1;
  int sold = 0;
  std::mutex m;
  auto buyer = [&] {
    std::unique_lock lock(m, std::defer_lock);
    if (fixed)
      lock.lock();
    if (tickets > 0) {
      usleep(10); // "log the sale"
      --tickets;
      ++sold;
    }
  };
  std::thread a(buyer), b(buyer);
  a.join();
  b.join();
  return sold;
}

// exception_bug.cpp: an exception escapes a thread's function.
inline void parseRecords(bool fixed) {
  auto parse = [](int n) {
    if (n < 0)
      throw std::invalid_argument("negative record count");
  };
  std::thread good(parse, 3);
  std::thread bad(parse, fixed ? 1 : -1);
  good.join();
  bad.join();
}

} // namespace buggy
