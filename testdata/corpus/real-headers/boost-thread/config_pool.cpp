// boost.thread as an application uses it: futures from boost::async, a thread_group pool, shared_mutex readers and
// writers with upgrade locks, a sync_queue between threads, and boost::thread_group.
#include <boost/thread/future.hpp>
#include <boost/thread/shared_mutex.hpp>
#include <boost/thread/concurrent_queues/sync_queue.hpp>
#include <boost/thread/locks.hpp>
#include <boost/thread/thread.hpp>

#include <map>
#include <string>

namespace app {

class Config {
 public:
  // case: good
  std::string Get(const std::string& key) const {
    boost::shared_lock<boost::shared_mutex> lk(mu_);
    auto it = values_.find(key);
    return it == values_.end() ? std::string() : it->second;
  }
  // case: good
  void Set(const std::string& key, const std::string& value) {
    boost::unique_lock<boost::shared_mutex> lk(mu_);
    values_[key] = value;
  }
  // case: good
  // Upgrade only when the key is missing.
  void SetDefault(const std::string& key, const std::string& value) {
    boost::upgrade_lock<boost::shared_mutex> read(mu_);
    if (values_.count(key))
      return;
    boost::upgrade_to_unique_lock<boost::shared_mutex> write(read);
    values_[key] = value;
  }

 private:
  mutable boost::shared_mutex mu_;
  std::map<std::string, std::string> values_;
};

// case: good
int run_pool(Config& cfg) {
  boost::future<int> f = boost::async(boost::launch::async, [&cfg] {
    cfg.Set("a", "1");
    return 1;
  });
  boost::sync_queue<int> q;
  boost::thread_group group;
  group.create_thread([&q] { q.push(7); });
  int v = q.pull();
  group.join_all();
  cfg.SetDefault("b", "2");
  int r = f.get() + v + static_cast<int>(cfg.Get("a").size());
  return r;
}

}  // namespace app
