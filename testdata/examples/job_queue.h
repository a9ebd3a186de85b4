// A bounded multi-producer, multi-consumer queue of jobs with a pool of worker threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

struct Job {
  int id = 0;
  int cost_ms = 0;
  bool fails = false;
};

class JobQueue {
public:
  explicit JobQueue(std::size_t capacity) : capacity_(capacity) {}

  // Blocks while the queue is full. Returns false once the queue is closed.
  bool push(const Job& job);
  // Blocks until a job is available; empty once the queue is closed and drained.
  std::optional<Job> pop();
  std::size_t size();
  bool is_full();

  void start_workers(int n, const std::function<void(JobQueue&)>& body);
  // Closes the queue and waits for every worker to finish.
  void shutdown();

private:
  std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Job> jobs_;
  std::vector<std::thread> workers_;
  std::size_t capacity_;
  bool closed_ = false;
};
