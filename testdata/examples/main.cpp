// jobqueue: pushes a batch of jobs through a pool of workers and prints the statistics.
#include "job_queue.h"
#include "stats.h"
#include "worker.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  int n_jobs = argc > 1 ? std::atoi(argv[1]) : 20;
  int n_workers = argc > 2 ? std::atoi(argv[2]) : 4;

  JobQueue queue(8);
  Stats stats;
  queue.start_workers(n_workers, [&stats](JobQueue& q) { run_worker(q, stats); });

  for (int i = 0; i < n_jobs; ++i) {
    Job job{i, 1 + i % 5, i % 7 == 0};
    if (!queue.push(job)) {
      std::fprintf(stderr, "queue closed early\n");
      break;
    }
  }
  std::printf("%zu jobs still queued\n", queue.size());

  queue.shutdown();
  stats_report(stats);
  stats_destroy(stats);
  return 0;
}
