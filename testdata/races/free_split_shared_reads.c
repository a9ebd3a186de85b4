// Race-free: two threads read a word concurrently; later one re-reads one byte of it while a third
// thread writes another byte. The detector keeps a 4-byte word in one shadow cell until a byte of
// it is accessed alone; then each byte needs its own copy of the word's concurrent-reads state,
// or the re-read of byte 1 would be taken for a read of byte 2 and the write a race.
#include <pthread.h>
#include <semaphore.h>
union word {
  unsigned int whole;
  unsigned char bytes[4];
};
union word w = {0x01020304u};
unsigned int seen[2];
unsigned char again;
sem_t firstRead, reread;
static void* readerA(void* arg) {
  (void)arg;
  seen[0] = w.whole;
  return NULL;
}
static void* readerB(void* arg) {
  (void)arg;
  seen[1] = w.whole;
  sem_post(&firstRead);
  sem_wait(&reread);
  again = w.bytes[1];
  return NULL;
}
static void* writerC(void* arg) {
  (void)arg;
  w.bytes[2] = 7;
  return NULL;
}
int main(void) {
  pthread_t a, b, c;
  sem_init(&firstRead, 0, 0);
  sem_init(&reread, 0, 0);
  pthread_create(&a, NULL, readerA, NULL);
  pthread_create(&b, NULL, readerB, NULL);
  pthread_join(a, NULL);
  sem_wait(&firstRead);
  w.bytes[3] = 9; // after both whole-word reads: splits the word's shadow
  pthread_create(&c, NULL, writerC, NULL);
  sem_post(&reread);
  pthread_join(b, NULL);
  pthread_join(c, NULL);
  return (seen[0] == seen[1] && again == 3) ? 0 : 1;
}
