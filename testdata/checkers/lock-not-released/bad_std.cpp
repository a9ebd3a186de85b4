// lock-not-released: std::mutex family locked by hand and left held on some exit.
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

struct Account {
  std::mutex m;
  long balance = 0;
};

// case: bad
// The early return for insufficient funds skips the unlock: the account stays locked forever.
bool withdraw(Account& a, long amount) {
  a.m.lock();
  if (a.balance < amount)
    return false; // expect: lock-not-released
  a.balance -= amount;
  a.m.unlock();
  return true;
}

struct Table {
  std::mutex m;
  int keys[16] = {};
};

// case: bad
// `break` leaves the loop with the table locked; the normal loop exit does not, so the single
// return is reached both holding and not holding the lock.
int find_slot(Table& t, int key) {
  int slot = -1;
  for (int i = 0; i < 16; ++i) {
    t.m.lock();
    if (t.keys[i] == key) {
      slot = i;
      break;
    }
    t.m.unlock();
  }
  return slot; // expect: lock-not-released
}

class Registry {
public:
  void add(const std::string& name);
  void add_checked(int id);
  int pop_id();

private:
  static void validate(int id);
  std::mutex m_;
  std::vector<std::string> names_;
  std::vector<int> ids_;
  int count_ = 0;
};

// case: bad
// The name is parsed as a number with std::stoi, which throws std::invalid_argument on a name
// that is not one: the exception leaves add() with m_ still locked.
void Registry::add(const std::string& name) {
  m_.lock();
  ids_.push_back(std::stoi(name)); // expect: lock-not-released
  names_.push_back(name);
  m_.unlock();
}

struct InvalidId {};

void Registry::validate(int id) {
  if (id < 0)
    throw InvalidId{};
}

// case: bad
// validate() throws for negative ids, and nothing unlocks m_ on that path.
void Registry::add_checked(int id) {
  m_.lock();
  validate(id); // expect: lock-not-released
  ++count_;
  m_.unlock();
}

struct QueueEmpty {};

// case: bad
// Throwing while holding a manually taken lock: the catch handler in the caller runs with m_ held.
int Registry::pop_id() {
  m_.lock();
  if (count_ == 0)
    throw QueueEmpty{}; // expect: lock-not-released
  int v = --count_;
  m_.unlock();
  return v;
}

struct Conn {
  std::mutex m;
  int state = 0;
};

// case: bad
// The default label returns without the unlock the other labels reach.
int handle(Conn& c, int op) {
  c.m.lock();
  switch (op) {
  case 0:
    c.state = 0;
    break;
  case 1:
    c.state = 1;
    c.m.unlock();
    return 1;
  default:
    return -1; // expect: lock-not-released
  }
  c.m.unlock();
  return 0;
}

struct Cache {
  std::mutex m;
  int value = 0;
};

// case: bad
// try_lock succeeded, then the validation failure returns with the lock held.
bool try_update(Cache& c, int v) {
  if (!c.m.try_lock())
    return false;
  if (v < 0)
    return false; // expect: lock-not-released
  c.value = v;
  c.m.unlock();
  return true;
}

class Worker {
public:
  void pause();

private:
  std::mutex state_mu_;
  bool paused_ = false;
};

// case: bad
// Falls off the end holding state_mu_ when it was not already paused.
void Worker::pause() {
  state_mu_.lock();
  if (paused_) {
    state_mu_.unlock();
    return;
  }
  paused_ = true;
} // expect: lock-not-released

class Device {
public:
  bool send(int cmd);

private:
  std::timed_mutex m_;
  int last_ = 0;
};

// case: bad
// A timed try-lock that succeeded is leaked by the rejected-command path.
bool Device::send(int cmd) {
  if (!m_.try_lock_for(std::chrono::milliseconds(10)))
    return false;
  if (cmd < 0)
    return false; // expect: lock-not-released
  last_ = cmd;
  m_.unlock();
  return true;
}

class Index {
public:
  int lookup(int k);

private:
  std::shared_mutex mu_;
  int data_[64] = {};
};

// case: bad
// A reader lock leaked on the out-of-range path blocks every later writer.
int Index::lookup(int k) {
  mu_.lock_shared();
  if (k < 0)
    return -1; // expect: lock-not-released
  int v = data_[k % 64];
  mu_.unlock_shared();
  return v;
}

struct Config {
  int threads = 0;
  bool loaded = false;
  void load_defaults() noexcept { threads = 4; }
};

// case: bad
// A static local mutex belongs to this function: leaving it held on the fast path is always a bug,
// even though the function returns holding it on only one path.
Config& config() {
  static std::mutex init_mu;
  static Config cfg;
  init_mu.lock();
  if (cfg.loaded)
    return cfg; // expect: lock-not-released
  cfg.load_defaults();
  cfg.loaded = true;
  init_mu.unlock();
  return cfg;
}

std::mutex g_stats_mu;
long g_requests = 0;

// case: bad
// The error path of a global-counter update returns without unlocking.
int record_request(int status) {
  g_stats_mu.lock();
  if (status >= 500)
    return -1; // expect: lock-not-released
  ++g_requests;
  g_stats_mu.unlock();
  return 0;
}

std::mutex g_run_mu;
int g_runs = 0;

// case: bad
// main takes the global lock and never gives it back; reported at main's exit.
int main() {
  g_run_mu.lock();
  ++g_runs;
  return 0; // expect: lock-not-released
}
