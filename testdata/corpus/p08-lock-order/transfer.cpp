// Lock order made safe by address ordering and by a gate lock, the way account/bank and cache
// code writes it; and one real inversion.
#include <functional>
#include <mutex>

struct Account {
  std::mutex mu;
  long id;
  long balance;
};

// case: good
// Both accounts locked in the order of their ids: every thread agrees.
void transfer(Account& from, Account& to, long amount) {
  Account* first = from.id < to.id ? &from : &to;
  Account* second = from.id < to.id ? &to : &from;
  std::lock_guard<std::mutex> a(first->mu);
  std::lock_guard<std::mutex> b(second->mu);
  from.balance -= amount;
  to.balance += amount;
}

// case: good
// Address ordering with std::less, as a lock-striping table does.
void swap_balances(Account& x, Account& y) {
  if (&x == &y)
    return;
  bool x_first = std::less<Account*>()(&x, &y);
  std::mutex& m1 = x_first ? x.mu : y.mu;
  std::mutex& m2 = x_first ? y.mu : x.mu;
  std::lock_guard<std::mutex> a(m1);
  std::lock_guard<std::mutex> b(m2);
  long t = x.balance;
  x.balance = y.balance;
  y.balance = t;
}

class Cache {
 public:
  // case: good
  // Opposite orders of index_mu_ and data_mu_, but both under the gate lock resize_mu_.
  void Resize() {
    std::lock_guard<std::mutex> gate(resize_mu_);
    std::lock_guard<std::mutex> i(index_mu_);
    std::lock_guard<std::mutex> d(data_mu_);
    ++generation_;
  }
  void Compact() {
    std::lock_guard<std::mutex> gate(resize_mu_);
    std::lock_guard<std::mutex> d(data_mu_);
    std::lock_guard<std::mutex> i(index_mu_);
    --generation_;
  }

 private:
  std::mutex resize_mu_;
  std::mutex index_mu_;
  std::mutex data_mu_;
  long generation_ = 0;
};

std::mutex g_log_mu;
std::mutex g_stats_mu;
long g_lines;

// case: bad
// log_line takes log then stats, stats_dump takes stats then log: two threads deadlock.
void log_line() {
  std::lock_guard<std::mutex> l(g_log_mu);
  std::lock_guard<std::mutex> s(g_stats_mu); // expect: lock-order-inversion
  ++g_lines;
}
void stats_dump() {
  std::lock_guard<std::mutex> s(g_stats_mu);
  std::lock_guard<std::mutex> l(g_log_mu);
  g_lines = 0;
}
