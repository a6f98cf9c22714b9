// WorkQueue: runs the server's long requests (sampling) on a few worker
// threads, so that HTTP threads never wait for the model. A client submits a
// task and gets a Job at once; it then polls the Job for its progress and
// result. The queue is bounded: when `max_queued` jobs already wait, submit()
// refuses (the server answers 503). Every job has a time limit and can be
// cancelled; both reach the running task through Job::keep_going(), which
// the task passes on as SampleOptions::on_progress.
//
// Finished jobs are kept for a while (the newest kKeptJobs) so that a client
// can still read their result. All methods are safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace dq::server {

enum class JobState { kQueued, kRunning, kDone, kFailed, kCancelled };
const char* job_state_name(JobState state);

class Job {
 public:
  using Clock = std::chrono::steady_clock;
  Job(std::string id, std::string kind, Clock::duration limit);

  const std::string& id() const { return id_; }
  const std::string& kind() const { return kind_; }

  // For the task: records `fraction` (0..1) done and says whether to go on:
  // false once the job was cancelled or ran past its time limit.
  bool keep_going(double fraction);
  // For clients: asks the task to stop at its next keep_going().
  void cancel();

  // The job as JSON: {id, kind, state, progress, seconds, result | error}.
  // `result` is present once the job is done, `error` (and `status`, the
  // HTTP status the error deserves) once it failed or was cancelled.
  nlohmann::json to_json() const;
  JobState state() const;
  // Blocks until the job has ended (done, failed or cancelled) or `timeout`
  // has passed; returns whether it has ended.
  bool wait_until_ended(Clock::duration timeout) const;

 private:
  friend class WorkQueue;
  void start();
  void finish(nlohmann::json result);
  void fail(int status, const std::string& error);

  const std::string id_;
  const std::string kind_;
  const Clock::duration limit_;
  const Clock::time_point created_ = Clock::now();
  std::atomic<bool> cancel_requested_{false};
  std::atomic<bool> timed_out_{false};
  std::atomic<double> progress_{0.0};

  mutable std::mutex mu_;
  mutable std::condition_variable ended_;
  JobState state_ = JobState::kQueued;
  Clock::time_point started_;
  Clock::time_point finished_;
  nlohmann::json result_;
  std::string error_;
  int status_ = 0;
};

// A task computes the job's result, calling job.keep_going() now and then
// (SampleOptions::on_progress) and throwing dq::Error("cancelled") when it
// says no, as sample() does. How a job ends:
//   returns               kDone, with the result
//   throws, cancelled     kCancelled, error "cancelled"
//   throws, time limit    kFailed, status 504, error naming the limit
//   throws dq::Error      kFailed, status 400 (input the model cannot honour)
//   throws anything else  kFailed, status 500
using Task = std::function<nlohmann::json(Job& job)>;

class WorkQueue {
 public:
  static constexpr size_t kKeptJobs = 256;

  WorkQueue(int workers, int max_queued);
  // Stops the workers: queued jobs are cancelled, running ones asked to stop
  // and waited for. Idempotent; the destructor calls it.
  void stop();
  ~WorkQueue() { stop(); }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // The new job, or nullptr if `max_queued` jobs are already waiting.
  std::shared_ptr<Job> submit(const std::string& kind, std::chrono::milliseconds limit, Task task);
  // The job with this id, or nullptr if unknown (or forgotten).
  std::shared_ptr<Job> find(const std::string& id) const;

  int queued() const;
  int workers() const { return static_cast<int>(threads_.size()); }

 private:
  struct Entry {
    std::shared_ptr<Job> job;
    Task task;
  };
  void work();
  void run(Entry& entry);

  const size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Entry> queue_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::deque<std::string> finished_order_;  // ids, oldest first, for forgetting
  uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::vector<std::shared_ptr<Job>> running_;
  std::vector<std::thread> threads_;
};

}  // namespace dq::server
