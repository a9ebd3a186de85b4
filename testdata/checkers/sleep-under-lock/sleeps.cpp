// sleep-under-lock with C++ locks and guards.
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

class Service {
public:
  void retry();
  void retry_until();
  int peek();
  void set(int v);
  void retry_outside();

private:
  std::mutex mu_;
  std::shared_mutex rw_;
  int value_ = 0;
};

// case: support
void Service::set(int v) {
  std::unique_lock<std::shared_mutex> w(rw_);
  std::lock_guard<std::mutex> g(mu_);
  value_ = v;
}

// case: bad
void Service::retry() {
  std::lock_guard<std::mutex> g(mu_);
  std::this_thread::sleep_for(std::chrono::milliseconds(50)); // expect: sleep-under-lock
  ++value_;
}

// case: bad
void Service::retry_until() {
  std::unique_lock<std::mutex> lk(mu_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
  std::this_thread::sleep_until(deadline); // expect: sleep-under-lock
}

// case: bad
// A reader lock held across a sleep: writers wait for it.
int Service::peek() {
  std::shared_lock<std::shared_mutex> r(rw_);
  std::this_thread::sleep_for(std::chrono::milliseconds(1)); // expect: sleep-under-lock
  return value_;
}

// case: good
// The guard's scope ends before the sleep.
void Service::retry_outside() {
  {
    std::lock_guard<std::mutex> g(mu_);
    ++value_;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
