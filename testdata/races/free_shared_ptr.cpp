// Race-free: shared_ptr copies in several threads; the last owner destroys the object.
#include <memory>
#include <thread>
#include <vector>
struct Config {
  int port = 80;
};
int main() {
  auto cfg = std::make_shared<Config>();
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i)
    ts.emplace_back([copy = cfg] { return copy->port; });
  cfg.reset();
  for (auto& t : ts)
    t.join();
  return 0;
}
