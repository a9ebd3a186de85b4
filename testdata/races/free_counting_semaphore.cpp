// Race-free through std::counting_semaphore (release/acquire on its counter).
#include <semaphore>
#include <thread>
int slot;
std::counting_semaphore<1> filled(0);
int main() {
  std::thread producer([] {
    slot = 5;
    filled.release();
  });
  filled.acquire();
  int v = slot;
  producer.join();
  return v == 5 ? 0 : 1;
}
