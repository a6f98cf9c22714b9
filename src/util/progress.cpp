#include "util/progress.h"

#include <unistd.h>
#include <cstdio>

namespace dq {

namespace {
std::string format_duration(double seconds) {
  if (seconds < 0 || seconds > 1e7) return "--:--";
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  }
  return buf;
}
}  // namespace

Progress::Progress(std::string label, long long total, bool enabled)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled && (isatty(STDERR_FILENO) || getenv("DQ_PROGRESS") != nullptr)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_ - std::chrono::seconds(1)) {}

Progress::~Progress() {
  if (enabled_ && !finished_) std::fputc('\n', stderr);
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(long long done, const std::string& status) {
  done_ = done;
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  draw(status, false);
}

void Progress::finish(const std::string& status) {
  done_ = total_;
  draw(status, true);
  finished_ = true;
}

void Progress::draw(const std::string& status, bool final) {
  if (!enabled_) return;
  constexpr int kWidth = 28;
  double fraction = static_cast<double>(done_) / static_cast<double>(total_);
  if (fraction > 1) fraction = 1;
  int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar += std::string(kWidth - filled, '.');
  double elapsed = elapsed_seconds();
  double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : -1;
  std::fprintf(stderr, "\r%s [%s] %3d%% %s<%s %s\x1b[K", label_.c_str(), bar.c_str(), static_cast<int>(fraction * 100),
               format_duration(elapsed).c_str(), final ? "00:00" : format_duration(eta).c_str(), status.c_str());
  if (final) std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace dq
