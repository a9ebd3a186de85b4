#include "job_queue.h"

bool JobQueue::is_full() {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_.size() >= capacity_;
}

bool JobQueue::push(const Job& job) {
  std::unique_lock<std::mutex> lock(mu_);
  // BUG: is_full() takes mu_ again; std::mutex is not recursive, so this self-deadlocks.
  if (is_full()) // expect: double-lock
    not_full_.wait(lock, [this] { return jobs_.size() < capacity_ || closed_; });
  if (closed_)
    return false;
  jobs_.push_back(job);
  lock.unlock();
  not_empty_.notify_one();
  return true;
}

std::optional<Job> JobQueue::pop() {
  std::unique_lock<std::mutex> lock(mu_);
  not_empty_.wait(lock, [this] { return !jobs_.empty() || closed_; });
  if (jobs_.empty())
    return std::nullopt;
  Job job = jobs_.front();
  jobs_.pop_front();
  lock.unlock();
  not_full_.notify_one();
  return job;
}

std::size_t JobQueue::size() {
  // BUG: a temporary guard; it unlocks at the semicolon and the read below is unprotected.
  std::lock_guard<std::mutex>{mu_}; // expect: unnamed-lock-guard
  return jobs_.size();
}

void JobQueue::start_workers(int n, const std::function<void(JobQueue&)>& body) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < n; ++i)
    workers_.emplace_back([this, body] { body(*this); });
}

void JobQueue::shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  not_empty_.notify_all();
  not_full_.notify_all();
  // BUG: the workers need mu_ to see closed_ and leave pop(); joining them while holding it
  // deadlocks.
  for (auto& w : workers_)
    w.join(); // expect: blocking-under-lock
}
