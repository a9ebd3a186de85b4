/* A program that is not a GoogleTest binary. If it is ever run, it leaves a marker file (named by
 * THREADCHECK_TEST_MARKER), so the test sees that `run --gtest` refused it without running it. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  const char* marker = getenv("THREADCHECK_TEST_MARKER");
  if (marker) {
    FILE* f = fopen(marker, "w");
    if (f)
      fclose(f);
  }
  return 0;
}
