// thread-not-joined and threads joined by a lambda that captures them by reference: cpp-httplib's
// tests start a server thread and hand `[&] { svr.stop(); t.join(); }` to a scope guard, whose
// destructor joins the thread on every way out of the scope, early returns and exceptions too.
#include <functional>
#include <thread>
#include <utility>

// case: support
template <class F> class scope_exit {
public:
  explicit scope_exit(F f) : f_(std::move(f)) {}
  ~scope_exit() { f_(); }
  scope_exit(const scope_exit&) = delete;
  scope_exit& operator=(const scope_exit&) = delete;

private:
  F f_;
};

// case: support
struct Server {
  void listen();
  void stop();
  bool wait_until_ready();
};

// case: support
bool get(const char* path);

// case: good
// The guard is declared after the thread, so it is destroyed first: the join comes first.
bool serve_and_get(Server& svr) {
  auto listen_thread = std::thread([&] { svr.listen(); });
  scope_exit se([&] {
    svr.stop();
    listen_thread.join();
  });
  if (!svr.wait_until_ready())
    return false;
  return get("/") && get("/benchmark");
}

// case: good
// A std::function keeps the cleanup until the end of the scope.
void serve_with_cleanup(Server& svr) {
  std::thread t([&] { svr.listen(); });
  std::function<void()> cleanup = [&] {
    svr.stop();
    t.join();
  };
  get("/");
  cleanup();
}

// case: bad
// The guard only stops the server: the thread is still joinable on the early return.
bool serve_without_join(Server& svr) {
  auto listen_thread = std::thread([&] { svr.listen(); });
  scope_exit se([&] { svr.stop(); });
  if (!svr.wait_until_ready())
    return false; // expect: thread-not-joined
  listen_thread.join();
  return true;
}

// case: bad
// A lambda that only reads the thread's id takes nothing over.
bool serve_and_log(Server& svr) {
  std::thread t([&] { svr.listen(); });
  auto log = [&] { return t.get_id() != std::thread::id(); };
  if (!log())
    return false; // expect: thread-not-joined
  svr.stop();
  t.join();
  return true;
}
