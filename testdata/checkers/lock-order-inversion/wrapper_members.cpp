// lock-order-inversion and mutexes inside a wrapper class (leveldb's port::Mutex, googletest's
// Mutex): the std::mutex inside Env's mutex_ and the one inside a FileState's blocks_mutex_ are
// two locks, ordered by the member they belong to, not one "Mutex::mu_" lock taken twice.
#include <map>
#include <mutex>
#include <string>

namespace wrapper_members {

// case: support
class Mutex {
public:
  void Lock() { mu_.lock(); }
  void Unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
};

// case: support
class MutexLock {
public:
  explicit MutexLock(Mutex* mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

private:
  Mutex* const mu_;
};

class FileState {
public:
  // case: good
  void Truncate() {
    MutexLock lock(&blocks_mutex_);
    size_ = 0;
  }
  // case: good
  long Size() {
    MutexLock lock(&blocks_mutex_);
    return size_;
  }

private:
  Mutex blocks_mutex_;
  long size_ = 0;
};

// case: good
// memenv's shape: the environment's mutex, then a file's mutex, always in that order.
class Env {
public:
  void Reopen(const std::string& name) {
    MutexLock lock(&mutex_);
    auto it = files_.find(name);
    FileState* file;
    if (it == files_.end()) {
      file = new FileState();
      files_[name] = file;
    } else {
      file = it->second;
      file->Truncate();
    }
  }
  long Total() {
    MutexLock lock(&mutex_);
    long t = 0;
    for (auto& [name, f] : files_)
      t += f->Size();
    return t;
  }

private:
  Mutex mutex_;
  std::map<std::string, FileState*> files_;
};

// case: support
class SpinMutex {
public:
  void Lock() { mu_.lock(); }
  void Unlock() { mu_.unlock(); }

private:
  std::mutex mu_;
};

// case: bad
// Two wrapper members of one class, taken in both orders.
class Ledger {
public:
  void Post() {
    accounts_.Lock();
    journal_.Lock(); // expect: lock-order-inversion
    ++entries_;
    journal_.Unlock();
    accounts_.Unlock();
  }
  void Replay() {
    journal_.Lock();
    accounts_.Lock();
    --entries_;
    accounts_.Unlock();
    journal_.Unlock();
  }

private:
  SpinMutex accounts_;
  SpinMutex journal_;
  int entries_ = 0;
};

} // namespace wrapper_members
