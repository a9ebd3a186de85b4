// Functions that run with the caller's lock held and drop it around slow work (leveldb's
// DBImpl::CompactMemTable / BackgroundCompaction style: mutex_.Unlock(); io(); mutex_.Lock();).
#include <mutex>
#include <string>
#include <vector>

#define REQUIRES(x) __attribute__((requires_capability(x)))
#define CAPABILITY(x) __attribute__((capability(x)))

class CAPABILITY("mutex") DbMutex {
 public:
  void Lock() __attribute__((acquire_capability())) { mu_.lock(); }
  void Unlock() __attribute__((release_capability())) { mu_.unlock(); }

 private:
  std::mutex mu_;
};

static int write_file(const std::string& name, const std::vector<int>& data) {
  return static_cast<int>(name.size() + data.size());
}

class Db {
 public:
  // case: good
  // Called with mutex_ held; drops it for the file write and takes it back before returning.
  int FlushLocked() REQUIRES(mutex_) {
    std::vector<int> snapshot = pending_;
    mutex_.Unlock();
    int rc = write_file("table.ldb", snapshot);
    mutex_.Lock();
    if (rc < 0)
      return rc;
    pending_.clear();
    return 0;
  }

  // case: good
  // The same without annotations, with an early return before the unlock.
  int MaybeCompact() {
    if (pending_.size() < 4)
      return 0;
    std::vector<int> work = pending_;
    mutex_.Unlock();
    int rc = write_file("compact.ldb", work);
    mutex_.Lock();
    return rc;
  }

  // case: good
  // The caller: locks, calls both, unlocks once.
  int Write(int v) {
    mutex_.Lock();
    pending_.push_back(v);
    int rc = FlushLocked();
    if (rc == 0)
      rc = MaybeCompact();
    mutex_.Unlock();
    return rc;
  }

 private:
  DbMutex mutex_;
  std::vector<int> pending_;
};

// case: good
int db_main() {
  Db db;
  return db.Write(3);
}
