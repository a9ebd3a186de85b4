// A thread writes one byte of a word while another reads the whole word: the word's shadow is
// split into byte cells by the one-byte write, and the whole-word read must still see the race.
// race: global 'w'
#include <pthread.h>
#include <stdio.h>
union word {
  unsigned int whole;
  unsigned char bytes[4];
};
union word w;
static void* writer(void* arg) {
  (void)arg;
  w.bytes[1] = 1;
  return NULL;
}
int main(void) {
  pthread_t t;
  w.whole = 0;
  pthread_create(&t, NULL, writer, NULL);
  unsigned int v = w.whole;
  pthread_join(t, NULL);
  printf("%u\n", v);
  return 0;
}
