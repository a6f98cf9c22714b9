// A progress bar with ETA for anything long (corpus scans, training,
// generation), drawn on stderr with '\r'. It stays silent when stderr is not a
// terminal unless forced, so logs and tests are not flooded.
#pragma once

#include <chrono>
#include <string>

namespace dq {

class Progress {
 public:
  // `total` units of work; `label` is printed before the bar.
  Progress(std::string label, long long total, bool enabled = true);
  ~Progress();

  // Sets the work done so far and an optional status (e.g. current losses).
  void update(long long done, const std::string& status = "");
  // Draws the final state and a newline.
  void finish(const std::string& status = "");

  double elapsed_seconds() const;

 private:
  void draw(const std::string& status, bool final);

  std::string label_;
  long long total_;
  long long done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace dq
