// An exception escapes a thread's function: std::terminate ends the whole program.
#include <cstdio>
#include <stdexcept>
#include <thread>

void parse(int n) {
  if (n < 0)
    throw std::invalid_argument("negative record count");
  std::printf("parsed %d records\n", n);
}

int main() {
  std::thread good(parse, 3);
  std::thread bad(parse, -1);
  good.join();
  bad.join();
}
