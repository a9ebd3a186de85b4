// Templates instantiated many times: one finding per source location.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>

template <typename T>
class Channel {
 public:
  // case: good
  void Send(T v) {
    std::lock_guard<std::mutex> lk(mu_);
    q_.push_back(std::move(v));
    cv_.notify_one();
  }

  // case: good
  T Receive() {
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [this] { return !q_.empty(); });
    T v = std::move(q_.front());
    q_.pop_front();
    return v;
  }

  // case: bad
  // Returns with mu_ held when the channel is empty (every instantiation, one bug).
  bool TryReceive(T* out) {
    mu_.lock();
    if (q_.empty())
      return false; // expect: lock-not-released
    *out = q_.front();
    q_.pop_front();
    mu_.unlock();
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> q_;
};

// case: good
int channel_main() {
  Channel<int> a;
  Channel<long> b;
  Channel<std::string> c;
  a.Send(1);
  b.Send(2);
  c.Send("x");
  int x = 0;
  long y = 0;
  std::string z;
  a.TryReceive(&x);
  b.TryReceive(&y);
  c.TryReceive(&z);
  return a.Receive() + static_cast<int>(b.Receive()) + static_cast<int>(c.Receive().size());
}
