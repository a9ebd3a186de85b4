// blocking-under-lock: condition-variable waits in helpers that receive the caller's unique_lock
// by reference. The wait releases the caller's mutex, so it blocks under nothing of that guard;
// any other lock the caller holds stays held across it.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <semaphore>
#include <thread>

std::mutex g_jobs_mu, g_stats_mu;
std::condition_variable g_jobs_cv;
std::deque<int> g_jobs;
std::binary_semaphore g_resume{0};
long g_taken;

// case: support
void wait_for_job(std::unique_lock<std::mutex>& lk) {
  g_jobs_cv.wait(lk, [] { return !g_jobs.empty(); });
}
void wait_for_job_traced(std::unique_lock<std::mutex>& lk) {
  wait_for_job(lk);
}

// case: good
// wait_for_job's wait releases g_jobs_mu, the only lock held here.
int take_job() {
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  wait_for_job(lk);
  int job = g_jobs.front();
  g_jobs.pop_front();
  return job;
}

// case: good
// The same two calls deep: the guard is handed down through wait_for_job_traced.
int take_job_traced() {
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  wait_for_job_traced(lk);
  int job = g_jobs.front();
  g_jobs.pop_front();
  return job;
}

// case: good
// A guard locked later by hand is still the guard the wait releases.
int take_job_deferred() {
  std::unique_lock<std::mutex> lk(g_jobs_mu, std::defer_lock);
  lk.lock();
  wait_for_job(lk);
  int job = g_jobs.front();
  g_jobs.pop_front();
  return job;
}

// case: bad
// g_stats_mu is held while the helper waits for a job: every thread reading the statistics waits
// for the next job too.
int take_job_counted() {
  std::lock_guard<std::mutex> stats(g_stats_mu);
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  wait_for_job(lk); // expect: blocking-under-lock
  ++g_taken;
  int job = g_jobs.front();
  g_jobs.pop_front();
  return job;
}

// case: bad
// Two calls deep, with the statistics lock held by a unique_lock of its own.
int take_job_counted_traced() {
  std::unique_lock<std::mutex> stats(g_stats_mu);
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  wait_for_job_traced(lk); // expect: blocking-under-lock
  ++g_taken;
  int job = g_jobs.front();
  g_jobs.pop_front();
  return job;
}

// case: bad
// The helper's wait releases the caller's mutex, but its wait for the semaphore after it does not.
void wait_then_pause(std::unique_lock<std::mutex>& lk) {
  g_jobs_cv.wait(lk, [] { return !g_jobs.empty(); });
  g_resume.acquire();
}
int take_job_slowly() {
  std::unique_lock<std::mutex> lk(g_jobs_mu);
  wait_then_pause(lk); // expect: blocking-under-lock
  int job = g_jobs.front();
  g_jobs.pop_front();
  return job;
}
