// Dining philosophers: everyone takes the left fork first; all holding one fork deadlocks.
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

constexpr int kSeats = 3;
std::mutex forks[kSeats];

void dine(int i) {
  std::mutex& left = forks[i];
  std::mutex& right = forks[(i + 1) % kSeats];
  std::lock_guard<std::mutex> l(left);
  std::lock_guard<std::mutex> r(right);
  std::printf("philosopher %d eats\n", i);
}

int main() {
  std::vector<std::thread> seats;
  for (int i = 0; i < kSeats; ++i)
    seats.emplace_back(dine, i);
  for (auto& t : seats)
    t.join();
}
