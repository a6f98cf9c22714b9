// Training throughput: preset "deepbach" at the original's hyper-parameters
// (batch 256 per voice model) and the default preset "fast", against the
// original PyTorch DeepBach on the same kind of machine.
//   bench_train [CORPUS_DIR] [STEPS]
#include <cstdio>
#include <filesystem>

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

  std::printf(
      "| preset | threads | seconds/step | training samples/s per voice model | vs original DeepBach (%.0f/s) |\n",
      dq::bench::kOriginalTrainSamplesPerSecond);
  std::printf("|---|---|---|---|---|\n");
  for (int threads : {1, 2}) {
    o.config = dq::model::preset_config("deepbach");
    o.batch = 256;
    o.threads = threads;
    double s = seconds_per_step(o, steps);
    double per_voice = 256 / (s / 4);  // four voice models of 256 windows each per step
    std::printf("| deepbach (batch 256) | %d | %.3f | %.0f | %.2fx |\n", threads, s, per_voice,
                per_voice / dq::bench::kOriginalTrainSamplesPerSecond);
  }
  for (int threads : {1, 2}) {
    o.config = dq::model::preset_config("fast");
    o.batch = 16;
    o.crop = 128;
    o.threads = threads;
    double s = seconds_per_step(o, steps);
    // Every tick of every crop is a target for each of the four voices.
    double per_voice = 16.0 * 128 / s;
    std::printf("| fast (16 crops x 128 ticks) | %d | %.3f | %.0f | %.2fx |\n", threads, s, per_voice,
                per_voice / dq::bench::kOriginalTrainSamplesPerSecond);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
