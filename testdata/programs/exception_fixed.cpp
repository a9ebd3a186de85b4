// The thread catches its exception and hands it to the joiner through an exception_ptr.
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <thread>

void parse(int n) {
  if (n < 0)
    throw std::invalid_argument("negative record count");
  std::printf("parsed %d records\n", n);
}

int main() {
  std::exception_ptr error;
  std::thread good(parse, 3);
  std::thread bad([&] {
    try {
      parse(-1);
    } catch (...) {
      error = std::current_exception();
    }
  });
  good.join();
  bad.join();
  try {
    if (error)
      std::rethrow_exception(error);
  } catch (const std::exception& e) {
    std::printf("worker failed: %s\n", e.what());
  }
}
