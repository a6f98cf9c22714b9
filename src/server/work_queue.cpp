#include "server/work_queue.h"

#include <algorithm>
#include <exception>

#include "server/random_id.h"
#include "server/request.h"
#include "util/error.h"

namespace dq::server {

const char* job_state_name(JobState state) {
  switch (state) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kDone:
      return "done";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

Job::Job(std::string id, std::string kind, Clock::duration limit)
    : id_(std::move(id)), kind_(std::move(kind)), limit_(limit) {}

bool Job::keep_going(double fraction) {
  progress_ = std::clamp(fraction, 0.0, 1.0);
  if (cancel_requested_) return false;
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ == JobState::kRunning && Clock::now() - started_ > limit_) {
    timed_out_ = true;
    return false;
  }
  return true;
}

void Job::cancel() { cancel_requested_ = true; }

JobState Job::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

bool Job::wait_until_ended(Clock::duration timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return ended_.wait_for(lock, timeout, [this] { return state_ != JobState::kQueued && state_ != JobState::kRunning; });
}

void Job::start() {
  std::lock_guard<std::mutex> lock(mu_);
  state_ = JobState::kRunning;
  started_ = Clock::now();
}

void Job::finish(nlohmann::json result) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_ = JobState::kDone;
    finished_ = Clock::now();
    progress_ = 1.0;
    result_ = std::move(result);
  }
  ended_.notify_all();
}

void Job::fail(int status, const std::string& error) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finished_ = Clock::now();
    if (cancel_requested_ && !timed_out_) {
      state_ = JobState::kCancelled;
      error_ = "cancelled";
    } else if (timed_out_) {
      state_ = JobState::kFailed;
      status_ = 504;
      error_ = "stopped after the time limit of " +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(limit_).count()) + " s";
    } else {
      state_ = JobState::kFailed;
      status_ = status;
      error_ = error;
    }
  }
  ended_.notify_all();
}

nlohmann::json Job::to_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json j = {{"id", id_}, {"kind", kind_}, {"state", job_state_name(state_)}, {"progress", progress_.load()}};
  if (state_ != JobState::kQueued) {
    Clock::time_point end = state_ == JobState::kRunning ? Clock::now() : finished_;
    j["seconds"] = std::chrono::duration<double>(end - started_).count();
  }
  if (state_ == JobState::kDone) j["result"] = result_;
  if (state_ == JobState::kFailed || state_ == JobState::kCancelled) j["error"] = error_;
  if (state_ == JobState::kFailed) j["status"] = status_;
  return j;
}

WorkQueue::WorkQueue(int workers, int max_queued) : max_queued_(static_cast<size_t>(std::max(0, max_queued))) {
  for (int i = 0; i < std::max(1, workers); ++i) threads_.emplace_back([this] { work(); });
}

void WorkQueue::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto& e : queue_) e.job->cancel();
    for (auto& job : running_) job->cancel();
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

std::shared_ptr<Job> WorkQueue::submit(const std::string& kind, std::chrono::milliseconds limit, Task task) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= max_queued_) return nullptr;
    job = std::make_shared<Job>(random_id(), kind, limit);
    jobs_[job->id()] = job;
    queue_.push_back({job, std::move(task)});
  }
  cv_.notify_one();
  return job;
}

std::shared_ptr<Job> WorkQueue::find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second;
}

int WorkQueue::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size());
}

void WorkQueue::work() {
  for (;;) {
    Entry entry;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      entry = std::move(queue_.front());
      queue_.pop_front();
      running_.push_back(entry.job);
    }
    run(entry);
    std::lock_guard<std::mutex> lock(mu_);
    running_.erase(std::find(running_.begin(), running_.end(), entry.job));
    finished_order_.push_back(entry.job->id());
    while (finished_order_.size() > kKeptJobs) {
      jobs_.erase(finished_order_.front());
      finished_order_.pop_front();
    }
  }
}

void WorkQueue::run(Entry& entry) {
  Job& job = *entry.job;
  job.start();
  if (!job.keep_going(0.0)) {
    job.fail(409, "cancelled");
    return;
  }
  try {
    job.finish(entry.task(job));
  } catch (const ApiError& e) {
    job.fail(e.status(), e.what());
  } catch (const Error& e) {
    job.fail(400, e.what());
  } catch (const std::bad_alloc&) {
    job.fail(500, "out of memory");
  } catch (const std::exception& e) {
    job.fail(500, std::string("internal error: ") + e.what());
  }
}

}  // namespace dq::server
