// thread-not-joined: std::thread temporaries and moved-from threads handed to a container or a
// callee through a `std::thread&&` parameter. The receiver owns the thread; the temporary left
// behind is moved from and not joinable. A temporary that nothing takes is still lost.
#include <deque>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

void crunch_block(int block) noexcept {
  (void)block;
}
void watch_disk() noexcept {}

// case: good
// push_back(T&&) moves each temporary into the vector, which joins them all below.
void crunch_all(int blocks) {
  std::vector<std::thread> crunchers;
  for (int b = 0; b < blocks; ++b)
    crunchers.push_back(std::thread(crunch_block, b));
  for (auto& t : crunchers)
    t.join();
}

// case: good
// emplace_back with a ready-made thread: the new element is move-constructed from it.
void crunch_two() {
  std::vector<std::thread> crunchers;
  crunchers.emplace_back(std::thread(crunch_block, 0));
  crunchers.emplace_back(std::thread([] { crunch_block(1); }));
  for (auto& t : crunchers)
    t.join();
}

// case: good
// A named thread moved into the vector: the variable is moved from when it goes out of scope.
void crunch_named() {
  std::vector<std::thread> crunchers;
  std::thread first(crunch_block, 0);
  crunchers.push_back(std::move(first));
  for (auto& t : crunchers)
    t.join();
}

// case: good
// deque::insert and std::optional take the temporary over the same way.
void watch_in_queue() {
  std::deque<std::thread> watchers;
  watchers.insert(watchers.end(), std::thread(watch_disk));
  std::optional<std::thread> spare{std::thread(watch_disk)};
  watchers.front().join();
  spare->join();
}

// case: good
// A function of another file declared with a `std::thread&&` parameter: it owns the thread.
void adopt_watcher(std::thread&& watcher);
void start_watcher_elsewhere() {
  adopt_watcher(std::thread(watch_disk));
}

// case: good
// A visible callee that moves its `std::thread&&` parameter into the pool it joins.
class CrunchPool {
public:
  void add(std::thread&& t) { threads_.push_back(std::move(t)); }
  void forget(std::thread&&) {}
  ~CrunchPool() {
    for (auto& t : threads_)
      t.join();
  }

private:
  std::vector<std::thread> threads_;
};
void crunch_in_pool(CrunchPool& pool) {
  pool.add(std::thread(crunch_block, 7));
}

// case: bad
// The temporary is never handed over: it is destroyed joinable at the end of the statement.
void start_watcher_and_forget() {
  std::thread{watch_disk}; // expect: thread-not-joined
}

// case: bad
// A `const std::thread&` parameter only looks at the thread; the temporary dies joinable.
void inspect_watcher(const std::thread& t) noexcept;
void inspect_fresh_watcher() {
  inspect_watcher(std::thread(watch_disk)); // expect: thread-not-joined
}

// case: bad
// CrunchPool::forget never touches its `std::thread&&` parameter: nothing moves the thread out
// of the temporary, which dies joinable.
void crunch_forgotten(CrunchPool& pool) {
  pool.forget(std::thread(crunch_block, 8)); // expect: thread-not-joined
}
