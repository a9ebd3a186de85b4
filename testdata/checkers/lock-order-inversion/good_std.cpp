// lock-order-inversion: orders that are consistent, or acquisitions that cannot deadlock.
#include <mutex>

std::mutex g_users, g_sessions, g_tokens;

// case: good
// The same order everywhere: users, then sessions, then tokens.
void login() {
  std::lock_guard<std::mutex> u(g_users);
  std::lock_guard<std::mutex> s(g_sessions);
  std::lock_guard<std::mutex> t(g_tokens);
}
void logout() {
  std::lock_guard<std::mutex> u(g_users);
  std::lock_guard<std::mutex> t(g_tokens);
}
void expire() {
  std::lock_guard<std::mutex> s(g_sessions);
  std::lock_guard<std::mutex> t(g_tokens);
}

std::mutex g_src, g_dst;

// case: good
// std::lock takes both without deadlock, whatever the textual order.
void copy_forward() {
  std::lock(g_src, g_dst);
  std::lock_guard<std::mutex> a(g_src, std::adopt_lock);
  std::lock_guard<std::mutex> b(g_dst, std::adopt_lock);
}
void copy_backward() {
  std::lock(g_dst, g_src);
  std::lock_guard<std::mutex> b(g_dst, std::adopt_lock);
  std::lock_guard<std::mutex> a(g_src, std::adopt_lock);
}

struct Wallet {
  std::mutex mu;
  long balance = 0;
};

// case: good
// std::scoped_lock over both wallets: the transfer cannot deadlock in either direction.
void pay(Wallet& from, Wallet& to, long n) {
  std::scoped_lock both(from.mu, to.mu);
  from.balance -= n;
  to.balance += n;
}

std::mutex g_front, g_back;

// case: good
// Back-off: the reverse order only ever try-locks, and lets go when that fails.
void front_then_back() {
  std::lock_guard<std::mutex> f(g_front);
  std::lock_guard<std::mutex> b(g_back);
}
bool back_then_front() {
  std::lock_guard<std::mutex> b(g_back);
  if (!g_front.try_lock())
    return false;
  g_front.unlock();
  return true;
}

std::mutex g_io, g_meta;

// case: good
// One lock released before the other is taken: never held together.
void io_then_meta() {
  {
    std::lock_guard<std::mutex> i(g_io);
  }
  std::lock_guard<std::mutex> m(g_meta);
}
void meta_then_io() {
  g_meta.lock();
  g_meta.unlock();
  std::lock_guard<std::mutex> i(g_io);
}

std::recursive_mutex g_tree;
std::mutex g_nodes;

void add_child() {
  std::lock_guard<std::recursive_mutex> t(g_tree);
  std::lock_guard<std::mutex> n(g_nodes);
}

// case: good
// Recursive re-entry: g_tree taken again under itself, g_nodes always inside g_tree.
void add_subtree() {
  std::lock_guard<std::recursive_mutex> t(g_tree);
  add_child();
  add_child();
}

std::mutex g_x, g_y;

// case: good
// std::try_lock in the other order cannot wait either.
void x_then_y() {
  std::lock_guard<std::mutex> x(g_x);
  std::lock_guard<std::mutex> y(g_y);
}
void y_then_try_x() {
  std::lock_guard<std::mutex> y(g_y);
  std::unique_lock<std::mutex> x(g_x, std::try_to_lock);
}

std::mutex g_global;

class Shard {
public:
  void put();
  void get();

private:
  std::mutex mu_;
  int n_ = 0;
};

// case: good
// A global lock, then a member lock, in every method.
void Shard::put() {
  std::lock_guard<std::mutex> g(g_global);
  std::lock_guard<std::mutex> m(mu_);
  ++n_;
}
void Shard::get() {
  std::lock_guard<std::mutex> g(g_global);
  std::lock_guard<std::mutex> m(mu_);
  --n_;
}

std::mutex g_p, g_q;

void with_q() {
  std::lock_guard<std::mutex> q(g_q);
}

// case: good
// Through a call, in the same order as the direct nesting elsewhere.
void p_calls_q() {
  std::lock_guard<std::mutex> p(g_p);
  with_q();
}
void p_then_q() {
  std::lock_guard<std::mutex> p(g_p);
  std::lock_guard<std::mutex> q(g_q);
}

// case: good
// scoped_lock over three mutexes in another textual order than login(): taken together.
void audit_sessions() {
  std::scoped_lock all(g_tokens, g_sessions, g_users);
}

std::mutex g_jobs, g_results;

// case: good
// Lambdas run by other threads take the locks in the same order as their enclosing function.
void run_jobs() {
  auto worker = [] {
    std::lock_guard<std::mutex> j(g_jobs);
    std::lock_guard<std::mutex> r(g_results);
  };
  worker();
  std::lock_guard<std::mutex> j(g_jobs);
  std::lock_guard<std::mutex> r(g_results);
}

// case: good
// Transfer ordered by address: the lower address is always locked first.
void pay_ordered(Wallet& from, Wallet& to, long n) {
  Wallet* first = &from < &to ? &from : &to;
  Wallet* second = &from < &to ? &to : &from;
  std::lock_guard<std::mutex> a(first->mu);
  std::lock_guard<std::mutex> b(second->mu);
  from.balance -= n;
  to.balance += n;
}
