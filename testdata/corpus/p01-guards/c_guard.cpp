// A guard over a C handle, the way a C++ wrapper around a C library writes it (an opaque lock
// handle with lock/unlock functions), and a guard that can be released early.
#include <pthread.h>

#include <string>
#include <unordered_map>

struct cache_lock {
  pthread_mutex_t mu;
};

static void cache_lock_acquire(cache_lock* l) { pthread_mutex_lock(&l->mu); }
static void cache_lock_release(cache_lock* l) { pthread_mutex_unlock(&l->mu); }

class CacheGuard {
 public:
  explicit CacheGuard(cache_lock* l) : l_(l) { cache_lock_acquire(l_); }
  ~CacheGuard() {
    if (l_)
      cache_lock_release(l_);
  }
  // Releases before the end of the scope; the destructor then does nothing.
  void Release() {
    cache_lock_release(l_);
    l_ = nullptr;
  }

 private:
  cache_lock* l_;
};

class StringCache {
 public:
  StringCache() { pthread_mutex_init(&lock_.mu, nullptr); }

  // case: good
  std::string Get(const std::string& key) {
    CacheGuard g(&lock_);
    auto it = map_.find(key);
    return it == map_.end() ? std::string() : it->second;
  }

  // case: good
  // Released by hand before the slow part, then the destructor skips the unlock.
  size_t PutAndMeasure(const std::string& key, std::string value) {
    CacheGuard g(&lock_);
    map_[key] = std::move(value);
    size_t n = map_.size();
    g.Release();
    return n * key.size();
  }

 private:
  cache_lock lock_;
  std::unordered_map<std::string, std::string> map_;
};

// case: good
size_t UseCache(StringCache& c) {
  c.PutAndMeasure("k", "v");
  return c.Get("k").size();
}
