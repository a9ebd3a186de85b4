#include "worker.h"

#include <chrono>
#include <thread>

namespace {

void execute(const Job& job) {
  std::this_thread::sleep_for(std::chrono::milliseconds(job.cost_ms));
}

// Records one finished job. Called from every worker thread.
void record(Stats& stats, const Job& job) {
  stats_lock(stats);
  if (job.fails) {
    ++stats.failed;
    // BUG: stats_lock() (in stats.cpp) returned holding stats.lock; this early return never
    // releases it, and the next worker to record a result blocks forever.
    return; // expect: lock-not-released
  }
  ++stats.done;
  stats.total_ms += job.cost_ms;
  stats_unlock(stats);
}

// Records a retried job: counts the retry and waits a little before the next attempt.
void record_retry(Stats& stats, const Job& job) {
  stats_lock(stats);
  stats.total_ms += job.cost_ms;
  stats_unlock(stats);
  // Back-off outside the lock: correct.
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Adjusts the counters after a job was cancelled.
void record_cancel(Stats& stats, bool was_counted) {
  stats_lock(stats);
  if (was_counted) {
    --stats.done;
    stats_unlock(stats);
  }
  // BUG: on the was_counted path the lock was already released above.
  stats_unlock(stats); // expect: unlock-not-held
}

} // namespace

void run_worker(JobQueue& queue, Stats& stats) {
  while (std::optional<Job> job = queue.pop()) {
    if (job->cost_ms < 0) {
      record_cancel(stats, false);
      continue;
    }
    execute(*job);
    if (job->fails && job->id % 2 == 0) {
      record_retry(stats, *job);
      execute(*job);
    }
    record(stats, *job);
  }
}
