// flags: -std=c++20
// thread-not-joined on exception paths: a std::thread that the code joins becomes a std::jthread,
// whose destructor joins when an exception leaves the scope instead of calling std::terminate.
#include <string>
#include <thread>
#include <vector>

int g_progress = 0;
void work() { ++g_progress; }
void work_on(int n) { g_progress += n; }

int parse_and_wait(const std::string& s) {
  std::thread worker(work);
  int n = std::stoi(s); // fixed: thread-not-joined
  worker.join();
  return n;
}

int with_argument(const std::vector<int>& v, std::size_t i) {
  std::thread t(work_on, 3);
  int x = v.at(i); // fixed: thread-not-joined
  if (t.joinable())
    t.join();
  return x;
}

void lambda_entry(const std::string& s) {
  std::thread t([] { work(); });
  (void)std::stoul(s); // fixed: thread-not-joined
  t.join();
}

// Not fixed: the thread goes into a vector of std::thread, which a jthread could not join.
void handed_on(std::vector<std::thread>& pool, const std::string& s) {
  std::thread t(work);
  (void)std::stoi(s); // kept: thread-not-joined
  pool.push_back(std::move(t));
}

// Not fixed: a generic lambda could be handed a std::stop_token by std::jthread.
void generic_entry(const std::string& s) {
  std::thread t([](auto... args) { work_on(sizeof...(args)); });
  (void)std::stoi(s); // kept: thread-not-joined
  t.join();
}
