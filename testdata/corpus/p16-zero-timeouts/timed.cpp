// try_* and *_for(0) calls are not blocking.
#include <chrono>
#include <future>
#include <mutex>
#include <semaphore>

class Poller {
 public:
  // case: good
  bool Ready() {
    std::lock_guard<std::mutex> lk(mu_);
    return result_.valid() &&
           result_.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }

  // case: good
  bool TakeToken() {
    std::lock_guard<std::mutex> lk(mu_);
    return tokens_.try_acquire();
  }

 private:
  std::mutex mu_;
  std::future<int> result_;
  std::counting_semaphore<8> tokens_{8};
};

// case: good
bool poller_main(Poller& p) { return p.Ready() || p.TakeToken(); }
