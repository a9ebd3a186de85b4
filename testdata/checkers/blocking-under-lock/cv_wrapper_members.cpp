// blocking-under-lock and a condition-variable wrapper that keeps its mutex in a const pointer
// member (leveldb's port::CondVar): a member `cv_` built as `cv_(&mu_)` by every constructor
// always waits with this object's mu_, so waiting on it while holding mu_ releases mu_. Another
// lock held at the same time is still held while it waits. The same inside a local object
// (leveldb's DBImpl::Write): `Writer w(&mutex_)` builds its member `cv(mu)` over the mutex it is
// given, so w.cv.Wait() waits with mutex_ and releases it.
#include <pthread.h>

#include <deque>

namespace cvmembers {

// case: support
class Mutex {
public:
  Mutex() { pthread_mutex_init(&mu_, nullptr); }
  ~Mutex() { pthread_mutex_destroy(&mu_); }
  void Lock() { pthread_mutex_lock(&mu_); }
  void Unlock() { pthread_mutex_unlock(&mu_); }

private:
  friend class CondVar;
  pthread_mutex_t mu_;
};

// case: support
class CondVar {
public:
  explicit CondVar(Mutex* mu) : mu_(mu) { pthread_cond_init(&cv_, nullptr); }
  ~CondVar() { pthread_cond_destroy(&cv_); }
  void Wait() { pthread_cond_wait(&cv_, &mu_->mu_); } // NOLINT(cv-wait-no-predicate)
  void Signal() { pthread_cond_signal(&cv_); }

private:
  pthread_cond_t cv_;
  Mutex* const mu_;
};

static Mutex g_stats;
static long g_waits;

class Queue {
public:
  Queue() : cv_(&mu_) {}
  explicit Queue(int reserve) : cv_(&mu_) { items_.resize(static_cast<size_t>(reserve)); }

  // case: good
  void Push(int v) {
    mu_.Lock();
    items_.push_back(v);
    cv_.Signal();
    mu_.Unlock();
  }

  // case: good
  int Pop() {
    mu_.Lock();
    while (items_.empty())
      cv_.Wait();
    int v = items_.front();
    items_.pop_front();
    mu_.Unlock();
    return v;
  }

  // case: bad
  // The statistics lock is held across the wait.
  int PopCounted() {
    g_stats.Lock();
    ++g_waits;
    mu_.Lock();
    while (items_.empty())
      cv_.Wait(); // expect: blocking-under-lock
    int v = items_.front();
    items_.pop_front();
    mu_.Unlock();
    g_stats.Unlock();
    return v;
  }

private:
  Mutex mu_;
  CondVar cv_;
  std::deque<int> items_;
};

// case: good
int queue_main() {
  Queue q;
  q.Push(1);
  return q.Pop() + q.PopCounted();
}

// case: support
class MutexLock {
public:
  explicit MutexLock(Mutex* mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() { mu_->Unlock(); }

private:
  Mutex* const mu_;
};

// case: support
struct Writer {
  explicit Writer(Mutex* mu) : done(false), cv(mu) {}
  bool done;
  CondVar cv;
};

// case: support
// A level deeper: the batch's writer is built over the mutex the batch is given.
struct Batch {
  explicit Batch(Mutex* mu) : writer(mu) {}
  Writer writer;
};

class Db {
public:
  // case: good
  void Write() {
    Writer w(&mutex_);
    MutexLock l(&mutex_);
    writers_.push_back(&w);
    while (!w.done && &w != writers_.front())
      w.cv.Wait();
    writers_.pop_front();
  }

  // case: good
  void WriteBatch() {
    Batch b(&mutex_);
    MutexLock l(&mutex_);
    writers_.push_back(&b.writer);
    while (!b.writer.done && &b.writer != writers_.front())
      b.writer.cv.Wait();
    writers_.pop_front();
  }

  // case: bad
  // The writer waits with log_mutex_, so mutex_ stays held while it waits.
  void WriteLog() {
    Writer w(&log_mutex_);
    log_mutex_.Lock();
    MutexLock l(&mutex_);
    writers_.push_back(&w);
    while (!w.done && &w != writers_.front())
      w.cv.Wait(); // expect: blocking-under-lock
    writers_.pop_front();
    log_mutex_.Unlock();
  }

private:
  Mutex mutex_;
  Mutex log_mutex_;
  std::deque<Writer*> writers_;
};

// case: good
void db_main_members() {
  Db db;
  db.Write();
  db.WriteBatch();
  db.WriteLog();
}

} // namespace cvmembers
