// A statically linked program: `threadcheck run` must refuse it with a pointer to the link-in
// runtime, since LD_PRELOAD cannot reach it.
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
