// thread-not-joined: C11 <threads.h> threads neither joined (thrd_join) nor detached (thrd_detach)
// before their thrd_t handle goes out of scope.
#include <stdio.h>
#include <threads.h>

// case: support
static int checksum_block(void* arg) {
  const unsigned char* p = arg;
  int sum = 0;
  for (int i = 0; i < 64; ++i)
    sum += p[i];
  return sum;
}

// case: bad
// The checksum thread is forgotten on the happy path.
int verify_block(unsigned char* block) {
  thrd_t t;
  if (thrd_create(&t, checksum_block, block) != thrd_success)
    return -1;
  puts("verifying");
  return 0; // expect: thread-not-joined
}

// case: bad
// The size check after the create returns early.
int verify_sized(unsigned char* block, int size) {
  thrd_t t;
  if (thrd_create(&t, checksum_block, block) != thrd_success)
    return -1;
  if (size < 64)
    return -2; // expect: thread-not-joined
  int sum = 0;
  thrd_join(t, &sum);
  return sum;
}
