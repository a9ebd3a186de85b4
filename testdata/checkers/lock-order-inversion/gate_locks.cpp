// lock-order-inversion and gate locks: two locks taken in both orders, but every one of those
// acquisitions happens while one and the same other lock is held, so only one thread at a time
// can be taking them and no two threads can each hold one and wait for the other. The gate must
// be one object wherever the orders are taken: a global or static, or a member of the object whose
// two locks are ordered. A gate held on one side only, or a gate of another object than the locks
// it is meant to order, does not make the inversion safe.
#include <mutex>

namespace gates {

std::mutex g_admin_mu; // the gate
std::mutex g_users_mu, g_groups_mu;
int g_users, g_groups;

// case: good
// Both orders, each under the global gate.
void add_user_to_group() {
  std::lock_guard<std::mutex> gate(g_admin_mu);
  std::lock_guard<std::mutex> u(g_users_mu);
  std::lock_guard<std::mutex> g(g_groups_mu);
  ++g_users;
  ++g_groups;
}
void rename_group() {
  std::lock_guard<std::mutex> gate(g_admin_mu);
  std::lock_guard<std::mutex> g(g_groups_mu);
  std::lock_guard<std::mutex> u(g_users_mu);
  --g_groups;
}

// case: good
// A member gate of the same object as the two locks it orders.
class Table {
public:
  void Grow() {
    std::lock_guard<std::mutex> gate(resize_mu_);
    std::lock_guard<std::mutex> i(index_mu_);
    std::lock_guard<std::mutex> d(data_mu_);
    ++size_;
  }
  void Shrink() {
    std::lock_guard<std::mutex> gate(resize_mu_);
    std::lock_guard<std::mutex> d(data_mu_);
    std::lock_guard<std::mutex> i(index_mu_);
    --size_;
  }

private:
  std::mutex resize_mu_, index_mu_, data_mu_;
  long size_ = 0;
};

std::mutex g_in_mu, g_out_mu;
long g_in, g_out;

// case: bad
// The gate is held on one side only: a thread in drain() and one in fill() deadlock.
void fill() {
  std::lock_guard<std::mutex> gate(g_admin_mu);
  std::lock_guard<std::mutex> in(g_in_mu);
  std::lock_guard<std::mutex> out(g_out_mu); // expect: lock-order-inversion
  ++g_in;
}
void drain() {
  std::lock_guard<std::mutex> out(g_out_mu);
  std::lock_guard<std::mutex> in(g_in_mu);
  --g_out;
}

struct Session {
  std::mutex mu;
};
std::mutex g_left_mu, g_right_mu;

// case: bad
// Each side holds the mutex of the session it was given: two sessions are two gates.
void push_left(Session& s) {
  std::lock_guard<std::mutex> gate(s.mu);
  std::lock_guard<std::mutex> l(g_left_mu);
  std::lock_guard<std::mutex> r(g_right_mu); // expect: lock-order-inversion
}
void push_right(Session& s) {
  std::lock_guard<std::mutex> gate(s.mu);
  std::lock_guard<std::mutex> r(g_right_mu);
  std::lock_guard<std::mutex> l(g_left_mu);
}

} // namespace gates
