// join-not-joinable: a C++ class over a POSIX thread whose start checks pthread_create through an
// assignment and reports the failure by exception, as thread wrappers in C++ libraries do.
#include <pthread.h>
#include <system_error>

// case: support
static void* pump_main(void* arg) {
  return arg;
}

class Pump {
public:
  // case: good
  // The failure throws; only a created thread reaches the join in stop().
  void start() {
    int rc;
    if ((rc = pthread_create(&tid_, nullptr, pump_main, this)) != 0)
      throw std::system_error(rc, std::generic_category(), "pthread_create");
    running_ = true;
  }

  // case: good
  void stop() {
    if (running_) {
      pthread_join(tid_, nullptr);
      running_ = false;
    }
  }

private:
  pthread_t tid_{};
  bool running_ = false;
};

// case: good
// Created only when more than one worker is wanted; the result is stored inside the && chain.
int run_pump(int workers) {
  pthread_t tid;
  int rc = 0;
  if (workers > 1 && (rc = pthread_create(&tid, nullptr, pump_main, nullptr)) == 0)
    pthread_join(tid, nullptr);
  return rc;
}

// case: good
// A local throw on failure, then a join in the same function.
int run_pump_throwing() {
  pthread_t tid;
  if (int rc = pthread_create(&tid, nullptr, pump_main, nullptr); rc != 0)
    throw std::system_error(rc, std::generic_category());
  return pthread_join(tid, nullptr);
}
