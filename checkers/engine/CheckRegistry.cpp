#include "threadcheck/checkers/CheckRegistry.h"

#include <algorithm>

namespace threadcheck::checkers {

const std::vector<CheckInfo>& allChecks() {
  static const std::vector<CheckInfo> checks = [] {
    std::vector<CheckInfo> v = {
        {"blocking-under-lock",
         "a call that waits for another party (join, blocking I/O, waiting on another mutex's "
         "condition variable, future::get, semaphore acquire) made while holding a lock"},
        {"detached-captures-local",
         "a detached thread that can reach the creating function's stack (a local captured by "
         "reference, a pointer to a local) after that function returns"},
        {"detached-holds-resource",
         "a detached (daemon) thread whose entry can return holding a lock, or never returns and "
         "is killed mid-work when main returns"},
        {"join-not-joinable",
         "join or detach of a thread that is not joinable: default-constructed, moved-from, "
         "already joined or detached, never created, or the calling thread itself"},
        {"thread-exception-escape",
         "an exception that can leave a thread's entry function: std::terminate ends the program"},
        {"thread-create-unchecked",
         "pthread_join/pthread_detach/thrd_join/thrd_detach of a handle on a path where its "
         "creation may have failed (the result of pthread_create/thrd_create not tested)",
         /*onByDefault=*/false},
        {"sleep-under-lock",
         "a timed sleep (sleep, usleep, nanosleep, std::this_thread::sleep_for) made while "
         "holding a lock that other code waits for",
         /*onByDefault=*/false},
        {"thread-local-escape",
         "the address of a thread_local handed to another thread or stored where other threads "
         "read it"},
        {"thread-not-joined",
         "a std::thread destroyed or assigned while joinable (std::terminate), also on exception "
         "paths; a pthread/C11 thread handle lost before it is joined or detached"},
        {"cv-mixed-mutexes",
         "one condition variable waited on with different mutexes (across translation units): "
         "undefined for POSIX, and a notification can slip between a waiter's test and its wait"},
        {"cv-wait-no-predicate",
         "a condition-variable wait without a predicate that is not inside a loop re-testing "
         "shared state: spurious wakeups and early notifications break it"},
        {"double-lock", "a non-recursive mutex locked again by the thread that already holds it"},
        {"latch-barrier-misuse",
         "a std::latch counted down more often than its count, or more threads arriving at a "
         "std::barrier than it expects, where the counts are visible in one function"},
        {"lock-order-inversion",
         "two locks acquired in opposite orders in different places (through calls and across "
         "translation units): threads taking both paths can deadlock"},
        {"lock-not-released",
         "a lock still held when the function returns or an exception leaves it on some path"},
        {"mutex-destroyed-locked",
         "a mutex destroyed, or going out of scope, while it is held (or while a guard still owns "
         "it)"},
        {"semaphore-over-release",
         "a semaphore released past its bound on every path: counting_semaphore<N> beyond N, a "
         "binary_semaphore released twice without an acquire, more posts than waits on a pool"},
        {"unlock-not-held",
         "a mutex unlocked when it is not held: double unlock, unlock of a freshly initialised "
         "mutex, unlock through a guard that no longer owns it"},
        {"unnamed-lock-guard",
         "a lock guard that is a temporary (destroyed at once) or a declaration that shadows the "
         "mutex it was meant to lock"},
    };
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.id < b.id; });
    return v;
  }();
  return checks;
}

const CheckInfo* findCheck(std::string_view id) {
  for (const CheckInfo& c : allChecks())
    if (c.id == id)
      return &c;
  return nullptr;
}

namespace {

bool globMatch(std::string_view pattern, std::string_view text) {
  // Iterative '*' matching with backtracking to the last star.
  size_t p = 0, t = 0, starP = std::string_view::npos, starT = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      starP = p++;
      starT = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (starP != std::string_view::npos) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

} // namespace

CheckFilter::CheckFilter() : globs_{{"*", true}} {
  for (const CheckInfo& c : allChecks())
    if (!c.onByDefault)
      globs_.push_back({c.id, false});
}

CheckFilter CheckFilter::everything() {
  CheckFilter f;
  f.globs_ = {{"*", true}};
  return f;
}

std::optional<CheckFilter> CheckFilter::parse(std::string_view globs, std::string& error) {
  const std::string original(globs);
  CheckFilter filter;
  filter.globs_.clear();
  while (true) {
    size_t comma = globs.find(',');
    std::string_view item = trim(globs.substr(0, comma));
    if (!item.empty()) {
      bool positive = item.front() != '-';
      if (!positive)
        item = trim(item.substr(1));
      // clang-tidy users write 'threadcheck-double-lock'; accept the prefixed form too.
      if (item.starts_with("threadcheck-"))
        item.remove_prefix(std::string_view("threadcheck-").size());
      bool matches = false;
      for (const CheckInfo& c : allChecks())
        matches |= globMatch(item, c.id);
      if (!matches) {
        error = "'" + std::string(item) + "' matches no check (see --list-checks)";
        return std::nullopt;
      }
      filter.globs_.push_back({std::string(item), positive});
    }
    if (comma == std::string_view::npos)
      break;
    globs.remove_prefix(comma + 1);
  }
  if (filter.enabledIds().empty()) {
    error = "'" + original + "' selects no check (see --list-checks)";
    return std::nullopt;
  }
  return filter;
}

bool CheckFilter::enabled(std::string_view id) const {
  bool on = false;
  for (const Glob& g : globs_)
    if (globMatch(g.pattern, id))
      on = g.positive;
  return on;
}

std::vector<std::string> CheckFilter::enabledIds() const {
  std::vector<std::string> ids;
  for (const CheckInfo& c : allChecks())
    if (enabled(c.id))
      ids.push_back(c.id);
  return ids;
}

} // namespace threadcheck::checkers
