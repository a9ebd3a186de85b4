// double-lock: a non-recursive std mutex acquired again by the thread that already holds it.
// Each of these self-deadlocks (or is undefined behaviour) the first time it runs.
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

class Account {
public:
  void deposit(long n);
  long audited_balance();

private:
  void audit();
  std::mutex m_;
  long balance_ = 0;
  long audits_ = 0;
};

// Locks m_ internally.
void Account::audit() {
  std::lock_guard<std::mutex> g(m_);
  ++audits_;
}

// case: bad
// Calls a member that locks m_ again while deposit() holds it: self-deadlock.
void Account::deposit(long n) {
  std::lock_guard<std::mutex> g(m_);
  balance_ += n;
  audit(); // expect: double-lock
}

// case: bad
// The same mistake with a unique_lock taken before calling the locking helper.
long Account::audited_balance() {
  std::unique_lock<std::mutex> lk(m_);
  long b = balance_;
  audit(); // expect: double-lock
  return b;
}

struct Node {
  int key = 0;
  Node* left = nullptr;
  Node* right = nullptr;
};

class Tree {
public:
  void insert(Node* at, Node* n);

private:
  std::mutex m_;
  int size_ = 0;
};

// case: bad
// Recursion under the tree lock: the recursive call locks m_ again.
void Tree::insert(Node* at, Node* n) {
  std::lock_guard<std::mutex> g(m_);
  Node*& next = n->key < at->key ? at->left : at->right;
  if (next) {
    insert(next, n); // expect: double-lock
    return;
  }
  next = n;
  ++size_;
}

std::mutex g_log_mu;
std::vector<std::string> g_log;

void log_line(const std::string& s) {
  std::lock_guard<std::mutex> g(g_log_mu);
  g_log.push_back(s);
}

// case: bad
// log_error takes the log lock and then calls log_line, which takes it again.
void log_error(const std::string& s) {
  std::lock_guard<std::mutex> g(g_log_mu);
  log_line("error: " + s); // expect: double-lock
}

// case: bad
// A nested guard added by a later edit locks the same mutex in an inner scope.
int update_twice(std::mutex& m, int& counter) {
  std::lock_guard<std::mutex> outer(m);
  ++counter;
  {
    std::lock_guard<std::mutex> inner(m); // expect: double-lock
    ++counter;
  }
  return counter;
}

// case: bad
// A block pasted from a function that ran unlocked brings its own lock/unlock pair along.
void reset_stats(std::mutex& m, long& hits, long& misses, bool full) {
  m.lock();
  hits = 0;
  if (full) {
    m.lock(); // expect: double-lock
    misses = 0;
    m.unlock();
  }
  m.unlock();
}

struct Pair {
  std::mutex a;
  std::mutex b;
  int x = 0;
};

// case: bad
// scoped_lock over (a, b) while a is already held.
void swap_under(Pair& p) {
  std::lock_guard<std::mutex> ga(p.a);
  std::scoped_lock both(p.a, p.b); // expect: double-lock
  p.x = -p.x;
}

// case: bad
// std::lock(a, b) while a is already held.
void sync_pair(Pair& p) {
  std::lock_guard<std::mutex> la(p.a);
  std::lock(p.a, p.b); // expect: double-lock
  std::lock_guard<std::mutex> adopted_a(p.a, std::adopt_lock);
  std::lock_guard<std::mutex> adopted_b(p.b, std::adopt_lock);
  p.x = 0;
}

class Settings {
public:
  void set_if_missing(int k, int v);

private:
  std::shared_mutex mu_;
  int values_[32] = {};
};

// case: bad
// "Upgrading" a shared lock: the exclusive lock waits for all readers, including this thread.
void Settings::set_if_missing(int k, int v) {
  std::shared_lock<std::shared_mutex> r(mu_);
  if (values_[k & 31] != 0)
    return;
  std::unique_lock<std::shared_mutex> w(mu_); // expect: double-lock
  values_[k & 31] = v;
}

// case: bad
// The same mutex reached through a reference alias.
void alias_relock(Pair& p) {
  std::mutex& mu = p.a;
  std::lock_guard<std::mutex> g1(p.a);
  std::lock_guard<std::mutex> g2(mu); // expect: double-lock
  p.x++;
}

struct Shards {
  std::mutex locks[4];
  int counts[4] = {};
};

// case: bad
// Copy-paste bug: shard 0 locked twice instead of shards 0 and 1.
void merge_first_two(Shards& s) {
  std::lock_guard<std::mutex> g0(s.locks[0]);
  std::lock_guard<std::mutex> g1(s.locks[0]); // expect: double-lock
  s.counts[0] += s.counts[1];
  s.counts[1] = 0;
}

// case: bad
// A timed mutex is not recursive either.
void timed_relock(std::timed_mutex& tm, int& v) {
  std::lock_guard<std::timed_mutex> g(tm);
  v++;
  std::unique_lock<std::timed_mutex> again(tm); // expect: double-lock
  v++;
}
