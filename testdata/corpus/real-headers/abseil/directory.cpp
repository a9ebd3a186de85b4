// absl::Mutex with its thread-safety annotations, MutexLock, ReaderMutexLock, Await and
// LockWhen on a Condition, and absl::Notification for start-up.
#include <absl/synchronization/mutex.h>
#include <absl/synchronization/notification.h>

#include <map>
#include <string>
#include <thread>

class Directory {
 public:
  // case: good
  void Add(const std::string& name, int port) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    entries_[name] = port;
  }
  // case: good
  int Find(const std::string& name) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::ReaderMutexLock lock(&mu_);
    auto it = entries_.find(name);
    return it == entries_.end() ? -1 : it->second;
  }
  // case: good
  // Await releases mu_ while the condition is false.
  int WaitFor(const std::string& name) ABSL_LOCKS_EXCLUDED(mu_) {
    mu_.Lock();
    auto present = [this, &name]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return entries_.count(name) > 0;
    };
    mu_.Await(absl::Condition(&present));
    int port = entries_[name];
    mu_.Unlock();
    return port;
  }
  // case: good
  // Called with mu_ held (annotated); drops it around the slow part.
  void RefreshLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::map<std::string, int> copy = entries_;
    mu_.Unlock();
    copy.clear();
    mu_.Lock();
  }
  // case: good
  void Refresh() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    RefreshLocked();
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, int> entries_ ABSL_GUARDED_BY(mu_);
};

// case: good
int run_directory() {
  Directory d;
  absl::Notification ready;
  std::thread t([&] {
    d.Add("db", 5432);
    ready.Notify();
  });
  ready.WaitForNotification();
  int port = d.WaitFor("db");
  d.Refresh();
  t.join();
  return port + d.Find("db");
}
