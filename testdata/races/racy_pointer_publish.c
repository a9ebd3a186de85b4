// A pointer published through a volatile global: volatile is not synchronisation.
// race: global 'current'
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
struct node {
  int value;
};
struct node* volatile current;
static void* consumer(void* arg) {
  (void)arg;
  struct node* n = current;
  if (n)
    printf("%d\n", n->value > 0);
  return NULL;
}
int main(void) {
  static struct node n = {5};
  pthread_t t;
  pthread_create(&t, NULL, consumer, NULL);
  current = &n;
  pthread_join(t, NULL);
  return 0;
}
