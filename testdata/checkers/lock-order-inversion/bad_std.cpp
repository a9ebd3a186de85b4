// lock-order-inversion: locks taken in opposite orders on two paths; two threads on those paths
// can each hold one and wait for the other forever.
#include <mutex>
#include <shared_mutex>

std::mutex g_accounts;
std::mutex g_audit;

// case: bad
// ABBA in two functions: g_accounts then g_audit, and g_audit then g_accounts.
void post_entry() {
  std::lock_guard<std::mutex> a(g_accounts);
  std::lock_guard<std::mutex> b(g_audit); // expect: lock-order-inversion
}
void audit_all() {
  std::lock_guard<std::mutex> b(g_audit);
  std::lock_guard<std::mutex> a(g_accounts);
}

std::mutex g_cache;
std::mutex g_index;

void touch_index() {
  std::lock_guard<std::mutex> g(g_index);
}

// case: bad
// Through a call: touch_index takes g_index while g_cache is held; rebuild takes them the other
// way round.
void refresh_cache() {
  std::lock_guard<std::mutex> c(g_cache);
  touch_index(); // expect: lock-order-inversion
}
void rebuild() {
  std::lock_guard<std::mutex> i(g_index);
  std::lock_guard<std::mutex> c(g_cache);
}

struct Account {
  std::mutex mu;
  long balance = 0;
};

// case: bad
// The classic transfer: transfer(a, b) and transfer(b, a) at once deadlock.
void transfer(Account& from, Account& to, long n) {
  std::lock_guard<std::mutex> f(from.mu);
  std::lock_guard<std::mutex> t(to.mu); // expect: lock-order-inversion
  from.balance -= n;
  to.balance += n;
}

std::mutex g_red, g_green, g_blue;

// case: bad
// A three-lock cycle: red then green, green then blue, blue then red.
void red_green() {
  std::lock_guard<std::mutex> r(g_red);
  std::lock_guard<std::mutex> g(g_green);
}
void green_blue() {
  std::lock_guard<std::mutex> g(g_green);
  std::lock_guard<std::mutex> b(g_blue);
}
void blue_red() {
  std::lock_guard<std::mutex> b(g_blue);
  std::lock_guard<std::mutex> r(g_red); // expect: lock-order-inversion
}

class Registry {
public:
  void add();
  void report();

private:
  std::mutex items_mu_;
  std::mutex stats_mu_;
  int items_ = 0;
  int stats_ = 0;
};

// case: bad
// Two members of one class in opposite orders in two methods.
void Registry::add() {
  std::lock_guard<std::mutex> i(items_mu_);
  std::lock_guard<std::mutex> s(stats_mu_); // expect: lock-order-inversion
  ++items_;
  ++stats_;
}
void Registry::report() {
  std::lock_guard<std::mutex> s(stats_mu_);
  std::lock_guard<std::mutex> i(items_mu_);
  stats_ += items_;
}

std::mutex g_queue, g_worker;

// case: bad
// unique_lock and manual lock()/unlock() count the same as guards.
void enqueue() {
  std::unique_lock<std::mutex> q(g_queue);
  g_worker.lock(); // expect: lock-order-inversion
  g_worker.unlock();
}
void dequeue() {
  std::unique_lock<std::mutex> w(g_worker);
  std::unique_lock<std::mutex> q(g_queue);
}

std::shared_mutex g_config;
std::mutex g_log;

// case: bad
// A shared (read) lock waits for writers too: read-then-log and log-then-write deadlock.
void read_config_and_log() {
  std::shared_lock<std::shared_mutex> r(g_config);
  std::lock_guard<std::mutex> l(g_log); // expect: lock-order-inversion
}
void log_and_update_config() {
  std::lock_guard<std::mutex> l(g_log);
  std::unique_lock<std::shared_mutex> w(g_config);
}

struct Pool {
  static std::mutex s_alloc;
  static std::mutex s_free;
};
std::mutex Pool::s_alloc;
std::mutex Pool::s_free;

// case: bad
// Static members are locks of their own, like globals.
void pool_alloc() {
  std::lock_guard<std::mutex> a(Pool::s_alloc);
  std::lock_guard<std::mutex> f(Pool::s_free); // expect: lock-order-inversion
}
void pool_free() {
  std::lock_guard<std::mutex> f(Pool::s_free);
  std::lock_guard<std::mutex> a(Pool::s_alloc);
}

std::mutex g_left, g_right;

// case: bad
// std::scoped_lock over one mutex orders like a lock_guard: left then right, right then left.
void left_right() {
  std::scoped_lock l(g_left);
  std::scoped_lock r(g_right); // expect: lock-order-inversion
}
void right_left() {
  std::unique_lock<std::mutex> r(g_right);
  std::scoped_lock l(g_left);
}

std::mutex g_db, g_cfg;

void lock_db() {
  g_db.lock();
}
void unlock_db() {
  g_db.unlock();
}

// case: bad
// A lock wrapper: lock_db returns holding g_db, so g_cfg then g_db here, g_db then g_cfg below.
void apply_config() {
  std::lock_guard<std::mutex> c(g_cfg);
  lock_db(); // expect: lock-order-inversion
  unlock_db();
}
void db_reads_config() {
  std::lock_guard<std::mutex> d(g_db);
  std::lock_guard<std::mutex> c(g_cfg);
}
