// `deepquartet calibrate`: fits a style's melodic tilt (sample/melodic_tilt.h)
// to the interval mix of its training pieces and writes the model file with
// the table in it, so that sampling uses it by default.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "corpus/corpus.h"
#include "corpus/dataset.h"
#include "sample/melodic_tilt.h"
#include "util/error.h"
#include "util/progress.h"

namespace dq::cli {

namespace {

struct CalibrateOptions {
  std::string model_path;
  std::string output;
  std::vector<std::string> corpus;
  std::string style;
  sample::TiltFitOptions fit;
  int threads = 2;
};

void print_table(const char* title, const music::IntervalMix& target, const music::IntervalMix& mix,
                 const model::MelodicTilt& tilt) {
  static const char* const kVoices[music::kNumVoices] = {"voice 1 (soprano, violin I)", "voice 2 (alto, violin II)",
                                                         "voice 3 (tenor, viola)", "voice 4 (bass, cello)"};
  std::printf("%s\n", title);
  for (int v = 0; v < music::kNumVoices; ++v) {
    std::printf("  %s\n    %-20s %8s %9s %6s\n", kVoices[v], "interval", "training", "generated", "nats");
    for (int i = 0; i < music::kIntervalBuckets; ++i) {
      std::printf("    %-20s %7.1f%% %8.1f%% %+6.2f\n", music::kIntervalBucketNames[i], 100 * target[v][i],
                  100 * mix[v][i], tilt[v][i]);
    }
  }
}

int run_calibrate(const CalibrateOptions& o) {
  const std::string path = o.model_path.empty() ? default_model_path() : o.model_path;
  if (!std::filesystem::exists(path)) throw Error(path + ": model file not found");
  if (o.fit.pieces < 1 || o.fit.bars < 1 || o.fit.rounds < 1) throw Error("--pieces, --bars and --rounds must be >= 1");
  model::Model model = model::load_model(path);
  const auto& styles = model.config.styles;
  const std::string style = o.style.empty() ? (styles.empty() ? "bach" : styles[0]) : o.style;
  const int style_index = styles.empty() ? 0 : corpus::style_index(styles, style);
  if (style_index < 0) throw Error(path + ": the model has no style '" + style + "'");
  std::vector<music::Score> training;
  for (const auto& piece : corpus::load_corpus(o.corpus, o.threads, true)) {
    if (piece.accepted && piece.split == corpus::Split::kTrain && piece.style == style) training.push_back(piece.score);
  }
  if (training.empty()) {
    throw Error(o.corpus[0] + (o.corpus.size() > 1 ? " and the rest of --corpus" : "") +
                ": no training pieces in style '" + style + "' (is splits.tsv there?)");
  }
  std::printf("fitting the melodic tilt of '%s' to %zu training pieces\n", style.c_str(), training.size());
  sample::TiltFitOptions fit = o.fit;
  fit.sampling.threads = o.threads;
  Progress bar("Calibrating", static_cast<long long>(fit.pieces) * (fit.rounds + 1));
  std::string status;
  fit.on_round = [&status](int round, double distance) {
    status = "round " + std::to_string(round) + ": L1 " + std::to_string(distance).substr(0, 5);
  };
  fit.on_piece = [&bar, &status](int done, int) { bar.update(done, status); };
  const sample::TiltFit result = sample::fit_melodic_tilt(model, style_index, training, fit);
  bar.finish();
  print_table("the interval mix per voice (training pieces; generated with the tilt) and the tilt", result.target,
              result.mix, result.tilt);
  std::printf("L1 distance from the training mix: %.3f untilted, %.3f tilted\n", result.untilted_distance,
              result.distance);
  model.config.melodic_tilt[sample::tilt_key(model.config, style_index)] = result.tilt;
  model.metrics["melodic_tilt"][style] = {{"training_pieces", training.size()},
                                          {"pieces_per_round", fit.pieces},
                                          {"bars", fit.bars},
                                          {"rounds", fit.rounds},
                                          {"distance_untilted", result.untilted_distance},
                                          {"distance_tilted", result.distance}};
  model::save_model(model, o.output, true);
  std::printf("wrote %s\n", o.output.c_str());
  return 0;
}

}  // namespace

void add_calibrate(CLI::App& app, Runner& run) {
  auto o = std::make_shared<CalibrateOptions>();
  o->corpus = {std::string(DQ_SOURCE_DIR) + "/../shared/corpus/bach-chorales/musicxml"};
  CLI::App* cmd = app.add_subcommand(
      "calibrate",
      "Fit a style's melodic tilt (the sweeps' nats per voice and melodic interval) so that generated pieces have the "
      "interval mix of the style's training pieces, and write the model with it");
  cmd->add_option("--model", o->model_path, "Model file (default: the shipped models/bach.dqm)");
  cmd->add_option("-o,--output", o->output, "Model file to write (may be --model itself)")->required();
  cmd->add_option("--corpus", o->corpus,
                  "The corpus the model was trained on, files or folders (its training split is read; "
                  "scripts/quartet-corpus.sh lists the quartet model's)")
      ->capture_default_str();
  cmd->add_option("--style", o->style, "The style to calibrate (default: the model's first)");
  cmd->add_option("--pieces", o->fit.pieces, "Pieces generated per round")->capture_default_str();
  cmd->add_option("--bars", o->fit.bars, "Bars per piece")->capture_default_str();
  cmd->add_option("--rounds", o->fit.rounds, "Updates of the table")->capture_default_str();
  cmd->add_option("--seed", o->fit.seed, "Seed of the keys, meters and samplers")->capture_default_str();
  cmd->add_option("--threads", o->threads, "CPU threads")->capture_default_str();
  cmd->callback([o, &run] { run = [o] { return run_calibrate(*o); }; });
}

}  // namespace dq::cli
