// blocking-under-lock: C++ blocking calls made while a guard holds a lock.
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <future>
#include <iostream>
#include <latch>
#include <mutex>
#include <semaphore>
#include <shared_mutex>
#include <string>
#include <thread>

class Service {
public:
  void stop();
  int result();
  void wait_ready();
  std::string ask();
  void throttle();
  void sync_start();
  void sync_round();
  void await_done();
  int peek();

private:
  std::mutex mu_;
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::shared_mutex rw_;
  std::thread worker_;
  std::future<int> pending_;
  std::counting_semaphore<8> slots_{8};
  std::latch started_{2};
  std::barrier<> round_{2};
  bool ready_ = false;
  bool done_ = false;
  int value_ = 0;
};

// case: bad
// Joining the worker while holding the lock it needs to exit: deadlock.
void Service::stop() {
  std::lock_guard<std::mutex> g(mu_);
  done_ = true;
  if (worker_.joinable())
    worker_.join(); // expect: blocking-under-lock
}

// case: bad
// future::get under the lock.
int Service::result() {
  std::lock_guard<std::mutex> g(mu_);
  return pending_.get(); // expect: blocking-under-lock
}

// case: bad
// Waiting on queue_cv_ (which releases queue_mu_) while still holding mu_.
void Service::wait_ready() {
  std::lock_guard<std::mutex> g(mu_);
  std::unique_lock<std::mutex> lk(queue_mu_);
  queue_cv_.wait(lk, [this] { return ready_; }); // expect: blocking-under-lock
}

// case: bad
// Reads a line from the terminal under the lock.
std::string Service::ask() {
  std::lock_guard<std::mutex> g(mu_);
  std::string line;
  std::getline(std::cin, line); // expect: blocking-under-lock
  return line;
}

// case: bad
// Semaphore acquire under the lock.
void Service::throttle() {
  std::lock_guard<std::mutex> g(mu_);
  slots_.acquire(); // expect: blocking-under-lock
  ++value_;
}

// case: bad
// latch::wait under the lock.
void Service::sync_start() {
  std::lock_guard<std::mutex> g(mu_);
  started_.count_down();
  started_.wait(); // expect: blocking-under-lock
}

// case: bad
// barrier::arrive_and_wait under the lock.
void Service::sync_round() {
  std::lock_guard<std::mutex> g(mu_);
  ++value_;
  round_.arrive_and_wait(); // expect: blocking-under-lock
}

// case: bad
// future::wait under the lock.
void Service::await_done() {
  std::scoped_lock g(mu_);
  pending_.wait(); // expect: blocking-under-lock
}


// case: bad
// A reader lock held across a wait for the pending job: writers wait for it.
int Service::peek() {
  std::shared_lock<std::shared_mutex> r(rw_);
  pending_.wait(); // expect: blocking-under-lock
  return value_;
}
