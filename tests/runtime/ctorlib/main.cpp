#include <cstdio>

extern "C" int library_events();

int main() {
  int n = library_events();
  std::printf("%d events\n", n);
  return n == 2 ? 0 : 1;
}
