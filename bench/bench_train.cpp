// Training throughput: preset "deepbach" at the original's hyper-parameters
// (batch 256 per voice model) and the default preset "fast", against the
// original PyTorch DeepBach measured side by side (two rounds, alternating:
// the original, then ours; bench_util.h).
//   bench_train [CORPUS_DIR] [STEPS] [ROUNDS]
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "train/trainer.h"
#include "util/blas_threads.h"

namespace {

// Seconds per optimizer step, from two runs that differ only by `steps` steps.
double seconds_per_step(dq::train::TrainOptions o, int steps) {
  o.max_steps = 2;
  auto start = std::chrono::steady_clock::now();
  dq::train::train(o);
  double base = dq::bench::seconds_since(start);
  o.max_steps = 2 + steps;
  start = std::chrono::steady_clock::now();
  dq::train::train(o);
  return (dq::bench::seconds_since(start) - base) / steps;
}

}  // namespace

int main(int argc, char** argv) {
  dq::pin_blas_threads();
  std::string corpus = argc > 1 ? argv[1] : std::string(DQ_SOURCE_DIR) + "/../shared/corpus/bach-chorales/musicxml";
  int steps = argc > 2 ? std::atoi(argv[2]) : 10;
  auto dir = std::filesystem::temp_directory_path() / "dq-bench-train";
  std::filesystem::create_directories(dir);
  dq::train::TrainOptions o;
  o.corpus = {corpus};
  o.output = (dir / "model.dqm").string();
  o.cache_dir = (dir / "cache").string();
  o.eval_every = 1 << 30;
  o.valid_targets = 256;
  o.progress = false;
  o.patience = 0;
  o.lr_schedule = dq::train::LrSchedule::kConstant;

  const int rounds = argc > 3 ? std::atoi(argv[3]) : 2;
  std::vector<std::string> rows;
  std::string source;
  auto add_row = [&](const char* preset, int threads, double s, double per_voice, double original, int round) {
    char row[256];
    std::snprintf(row, sizeof row, "| %d | %s | %d | %.3f | %.0f | %.0f | %.2fx |\n", round, preset, threads, s,
                  per_voice, original, per_voice / original);
    rows.push_back(row);
  };
  for (int round = 1; round <= rounds; ++round) {
    const dq::bench::OriginalFigure original =
        dq::bench::original_deepbach("train", "train_compute_samples_per_s", dq::bench::kRecordedTrainSamplesPerSecond);
    source = original.source;
    for (int threads : {1, 2}) {
      o.config = dq::model::preset_config("deepbach");
      o.batch = 256;
      o.threads = threads;
      const double s = seconds_per_step(o, steps);
      add_row("deepbach (batch 256)", threads, s, 256 / (s / 4), original.value, round);  // four voice models per step
    }
    for (int threads : {1, 2}) {
      o.config = dq::model::preset_config("fast");
      o.batch = 16;
      o.crop = 128;
      o.threads = threads;
      const double s = seconds_per_step(o, steps);
      // Every tick of every crop is a target for each of the four voices.
      add_row("fast (16 crops x 128 ticks)", threads, s, 16.0 * 128 / s, original.value, round);
    }
  }
  std::printf("original DeepBach: %s\n\n", source.c_str());
  std::printf(
      "| round | preset | threads | seconds/step | training samples/s per voice model | original DeepBach samples/s | "
      "ratio |\n|---|---|---|---|---|---|---|\n");
  for (const std::string& row : rows) std::printf("%s", row.c_str());
  std::filesystem::remove_all(dir);
  return 0;
}
