// Dining philosophers with a global fork order: the lower-numbered fork is always taken first.
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

constexpr int kSeats = 3;
std::mutex forks[kSeats];

void dine(int i) {
  int a = std::min(i, (i + 1) % kSeats);
  int b = std::max(i, (i + 1) % kSeats);
  std::lock_guard<std::mutex> l(forks[a]);
  std::lock_guard<std::mutex> r(forks[b]);
  std::printf("philosopher %d eats\n", i);
}

int main() {
  std::vector<std::thread> seats;
  for (int i = 0; i < kSeats; ++i)
    seats.emplace_back(dine, i);
  for (auto& t : seats)
    t.join();
}
