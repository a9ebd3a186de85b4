// join-not-joinable and a thread object that a callback starts: cpp-httplib's
// example/one_time_request.cc default-constructs `std::thread th`, registers a handler that does
// `th = std::thread(...)`, runs the server (which calls the handler) and then joins `th`.
#include <functional>
#include <thread>

// case: support
struct Server {
  void Get(const char* pattern, std::function<void()> handler);
  void listen();
  void stop();
};

// case: good
void one_time_request(Server& svr) {
  std::thread th;
  svr.Get("/", [&] { th = std::thread([&] { svr.stop(); }); });
  svr.listen();
  th.join();
}

// case: bad
// The handler never touches `th`: it is still default-constructed at the join.
void handler_does_not_start(Server& svr) {
  std::thread th;
  svr.Get("/", [&] { svr.stop(); });
  svr.listen();
  th.join(); // expect: join-not-joinable
}
