// Generation speed: a 16-bar 4/4 chorale (256 ticks) at the original's
// sampling density, against the original DeepBach's 2,000 parallel Gibbs
// iterations measured side by side (two rounds, alternating; bench_util.h),
// regenerating 2 bars inside it, and peak memory.
//   bench_sample [MODEL] [SWEEPS] [ROUNDS]
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "model/model.h"
#include "music/pitch.h"
#include "sample/compose.h"
#include "util/blas_threads.h"

int main(int argc, char** argv) {
  dq::pin_blas_threads();
  std::string path = argc > 1 ? argv[1] : std::string(DQ_SOURCE_DIR) + "/models/bach.dqm";
  dq::model::Model model = dq::model::load_model(path);
  const bool fast = model.config.preset == dq::model::Preset::kFast;
  dq::sample::SampleOptions o;
  o.threads = 1;
  // DeepBach's density is about 62 updates per position; a sweep updates each position once.
  o.iterations = argc > 2 ? std::atoi(argv[2]) : (fast ? 62 : 0);
  dq::sample::PieceRequest request;
  request.bars = 16;
  request.key = dq::music::parse_key("D major");
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 2;
  constexpr int kOriginalIterations = 2000;  // DeepBach's density for 256 ticks, 8 positions per voice
  std::vector<std::string> rows;
  dq::music::Score piece;
  std::string source;
  for (int round = 1; round <= rounds; ++round) {
    const dq::bench::OriginalFigure original =
        dq::bench::original_deepbach("gen", "gen_parallel_gibbs_per_iteration", dq::bench::kRecordedGibbsIterationMs);
    const double original_s = original.value * kOriginalIterations / 1000;
    source = original.source;
    auto start = std::chrono::steady_clock::now();
    piece = dq::sample::generate(model, request, o)[0];
    const double generate_s = dq::bench::seconds_since(start);
    char row[256];
    std::snprintf(row, sizeof row,
                  "| 16-bar chorale, %d %s, round %d | %.2f s | %.0f s (%d iterations) | %.1fx faster |\n",
                  o.iterations, fast ? "sweeps" : "iterations", round, generate_s, original_s, kOriginalIterations,
                  original_s / generate_s);
    rows.push_back(row);
  }

  std::vector<double> times;
  dq::sample::SampleOptions regen = o;
  regen.iterations = 0;  // the default of interactive use
  for (int i = 0; i < 10; ++i) {
    regen.seed = 100 + i;
    const auto start = std::chrono::steady_clock::now();
    dq::sample::regenerate(model, piece, 6 * 16, 8 * 16, {0, 1, 2, 3}, 1, regen);
    times.push_back(dq::bench::seconds_since(start));
  }
  std::sort(times.begin(), times.end());
  std::printf("model %s (preset %s)\n\n", path.c_str(), dq::model::preset_name(model.config.preset));
  std::printf("original DeepBach: %s\n\n", source.c_str());
  std::printf("| measurement | deepquartet | original DeepBach | ratio |\n|---|---|---|---|\n");
  for (const std::string& row : rows) std::printf("%s", row.c_str());
  std::printf("| regenerate bars 7-8, all voices (median of 10) | %.3f s | - | - |\n", times[times.size() / 2]);
  std::printf("| regenerate bars 7-8, all voices (worst of 10) | %.3f s | - | - |\n", times.back());
  std::printf("| peak memory | %.0f MB | - | - |\n", dq::bench::peak_rss_mb());
  return 0;
}
