// lock-not-released and RAII guards written by the project: a class whose constructor locks a
// mutex it keeps a pointer or reference to and whose destructor unlocks it releases the mutex at
// scope end and when an exception unwinds the scope, whatever the class is called. Shaped after
// googletest's MutexLock (gtest-port.h), leveldb's MutexLock (util/mutexlock.h) and abseil's
// ReleasableMutexLock.
#include <mutex>
#include <pthread.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace guards {

// A pthread mutex wrapper in the style of gtest's MutexBase and leveldb's port::Mutex.
class PortMutex {
public:
  PortMutex() { pthread_mutex_init(&mu_, nullptr); }
  ~PortMutex() { pthread_mutex_destroy(&mu_); }
  void Lock() { pthread_mutex_lock(&mu_); }
  void Unlock() { pthread_mutex_unlock(&mu_); }

private:
  pthread_mutex_t mu_;
};

// case: support
// googletest style: a pointer to the mutex, locked in the constructor, unlocked in the destructor.
class ScopedHold {
public:
  explicit ScopedHold(PortMutex* mu) : mu_(mu) { mu_->Lock(); }
  ~ScopedHold() { mu_->Unlock(); }
  ScopedHold(const ScopedHold&) = delete;
  ScopedHold& operator=(const ScopedHold&) = delete;

private:
  PortMutex* const mu_;
};

// leveldb style: a reference member over a std::mutex.
class Critical {
public:
  explicit Critical(std::mutex& m) : m_(m) { m_.lock(); }
  ~Critical() { m_.unlock(); }

private:
  std::mutex& m_;
};

// abseil style: the guard can give the mutex up early; the destructor unlocks only if it still
// holds it.
class Releasable {
public:
  explicit Releasable(PortMutex* mu) : mu_(mu) { mu_->Lock(); }
  void Release() {
    mu_->Unlock();
    mu_ = nullptr;
  }
  ~Releasable() {
    if (mu_ != nullptr)
      mu_->Unlock();
  }

private:
  PortMutex* mu_;
};

struct TestProperty {
  std::string key, value;
};

class TestResult {
public:
  void RecordProperty(const TestProperty& p);
  int ParseRepeat(const std::string& text);
  void Flush(std::vector<std::string>& out);
  int Compact(const std::string& limit);
  int Snapshot(std::size_t i);

private:
  PortMutex props_mu_;
  std::mutex counts_mu_;
  std::vector<TestProperty> props_;
  std::vector<int> counts_;
  int repeat_ = 0;
};

// case: good
// gtest.cc's TestResult::RecordProperty shape: a guard over the properties, then code that may
// throw (a rejected key): the guard's destructor unlocks during unwinding.
void TestResult::RecordProperty(const TestProperty& p) {
  ScopedHold lock(&props_mu_);
  if (p.key.empty())
    throw std::invalid_argument("reserved key");
  for (TestProperty& q : props_)
    if (q.key == p.key) {
      q.value = p.value;
      return;
    }
  props_.push_back(p);
}

// case: good
// A guard over a std::mutex reference, and std::stoi (which throws on bad input) in its scope.
int TestResult::ParseRepeat(const std::string& text) {
  Critical hold(counts_mu_);
  repeat_ = std::stoi(text);
  counts_.at(0) = repeat_;
  return repeat_;
}

// case: good
// Released early through the guard, then work that can throw without the lock.
void TestResult::Flush(std::vector<std::string>& out) {
  Releasable lock(&props_mu_);
  std::vector<TestProperty> copy = props_;
  lock.Release();
  for (const TestProperty& p : copy)
    out.push_back(p.key + "=" + p.value);
  if (out.size() > 1000)
    throw std::length_error("too many properties");
}

// case: good
// leveldb's DBImpl pattern: the guard holds the mutex, which is dropped around slow work and
// taken again; the guard still unlocks it when the exception below unwinds the scope.
int TestResult::Compact(const std::string& limit) {
  Critical hold(counts_mu_);
  counts_mu_.unlock();
  int n = static_cast<int>(limit.size());
  counts_mu_.lock();
  counts_.push_back(n);
  if (n > 64)
    throw std::out_of_range("limit");
  return n;
}

// case: support
// A "guard" that forgot its destructor's unlock: it only counts how often it was used.
class Tracked {
public:
  explicit Tracked(PortMutex* mu) : mu_(mu) { mu_->Lock(); }
  ~Tracked() { ++uses_; }

private:
  PortMutex* mu_;
  static inline int uses_ = 0;
};

class Journal {
public:
  int Append(const std::string& line);
  int Tail(std::size_t i);

private:
  PortMutex mu_;
  std::mutex index_mu_;
  std::vector<std::string> lines_;
  std::vector<int> index_;
};

// case: bad
// Tracked's destructor does not unlock: the throw leaves mu_ locked (and so does every return).
int Journal::Append(const std::string& line) {
  Tracked t(&mu_);
  if (line.empty())
    throw std::invalid_argument("empty line"); // expect: lock-not-released
  lines_.push_back(line);
  return static_cast<int>(lines_.size());
}

// case: bad
// A guard over one mutex and a manual lock of another: the guard releases mu_ when at() throws,
// nothing releases index_mu_.
int Journal::Tail(std::size_t i) {
  ScopedHold lock(&mu_);
  index_mu_.lock();
  int v = index_.at(i); // expect: lock-not-released
  index_mu_.unlock();
  return v;
}

// case: good
// A class template guard, instantiated over two mutex types.
template <typename M>
class Locker {
public:
  explicit Locker(M& m) : m_(m) { m_.lock(); }
  ~Locker() { m_.unlock(); }

private:
  M& m_;
};

int locked_parse(std::mutex& m, std::recursive_mutex& r, const std::string& a,
                 const std::string& b) {
  int x = 0;
  {
    Locker<std::mutex> g(m);
    x = std::stoi(a);
  }
  Locker<std::recursive_mutex> g(r);
  return x + std::stoi(b);
}

// case: support
void use_guards() {
  TestResult r;
  r.RecordProperty({"k", "v"});
  std::vector<std::string> out;
  r.Flush(out);
}

} // namespace guards
