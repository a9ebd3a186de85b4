#pragma once

#include "job_queue.h"
#include "stats.h"

// Runs jobs from the queue until it is closed, recording the outcome of each in `stats`.
void run_worker(JobQueue& queue, Stats& stats);
