// The body the in-process benchmark explores both ways: `explore <body> <n>` runs n schedules
// with threadcheck::explore inside this process; `once <body>` runs it once as a plain program,
// which `threadcheck run` explores with one forked child per schedule. The bodies are fixed twins
// of testdata/programs: small unit tests with two threads. Built with THREADCHECK_BENCH_ONCE_ONLY
// it has only the `once` mode and needs no in-process runtime (`threadcheck c++` builds it so).
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#ifndef THREADCHECK_BENCH_ONCE_ONLY
#include <threadcheck/threadcheck.hpp>
#endif

namespace {

void abba() {
  std::mutex accounts, audit;
  std::thread payer([&] {
    std::lock_guard a(accounts);
    std::lock_guard b(audit);
  });
  std::thread auditor([&] {
    std::lock_guard a(accounts);
    std::lock_guard b(audit);
  });
  payer.join();
  auditor.join();
}

void handshake() {
  std::mutex m;
  std::condition_variable cv;
  bool ready = false;
  std::thread consumer([&] {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return ready; });
  });
  std::thread producer([&] {
    {
      std::lock_guard lock(m);
      ready = true;
    }
    cv.notify_one();
  });
  consumer.join();
  producer.join();
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s explore|once abba|handshake [iterations]\n", argv[0]);
    return 2;
  }
  void (*body)() = !std::strcmp(argv[2], "abba") ? abba : handshake;
  if (!std::strcmp(argv[1], "once")) {
    body();
    return 0;
  }
#ifdef THREADCHECK_BENCH_ONCE_ONLY
  return 2;
#else
  threadcheck::Options o;
  o.iterations = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000;
  o.output_dir = "/tmp/threadcheck-bench-schedules";
  threadcheck::Result r = threadcheck::explore(o, body);
  std::printf("%llu %.6f %zu\n", static_cast<unsigned long long>(r.schedules), r.elapsed,
              r.findings.size());
  return r.ok() ? 0 : 1;
#endif
}
