#include "cli/sampling_flags.h"

#include <cstdio>
#include <filesystem>
#include <map>

#include "cli/commands.h"
#include "io/score_file.h"
#include "util/error.h"
#include "util/text.h"

namespace dq::cli {

void add_sampler_flags(CLI::App* cmd, sample::SampleOptions& options) {
  cmd->add_option("--temperature", options.temperature, "Final sampling temperature")->capture_default_str();
  cmd->add_option("--start-temperature", options.start_temperature, "Initial temperature, annealed down")
      ->capture_default_str();
  cmd->add_option("--decay", options.decay, "Temperature factor per iteration (0: reach the target halfway)");
  cmd->add_option(
      "--iterations", options.iterations,
      "Sweeps (fast preset; default 40 for chorales, for quartet styles 1: the chronological pass alone) or Gibbs "
      "iterations (deepbach preset, default: DeepBach's density)");
  cmd->add_flag("!--free-ending", options.final_tonic,
                "Let the last fermata end on any cadence (by default the prior asks for the "
                "tonic triad there)");
  cmd->add_flag("!--free-opening", options.opening_tonic,
                "Let the piece open on any chord (by default the prior asks for the tonic triad on its first tick)");
  cmd->add_option("--start", options.start,
                  "How free notes start: auto (chronological where the model was trained "
                  "with masks), chronological (a first left-to-right pass from the past and "
                  "the known future) or noise")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, sample::Start>{{"auto", sample::Start::kAuto},
                                               {"noise", sample::Start::kNoise},
                                               {"chronological", sample::Start::kChronological}}))
      ->default_str("auto");
  cmd->add_option("--pass-order", options.pass_order,
                  "The order in which the chronological pass draws a tick's voices: random (each tick its own), "
                  "score (top voice first, bass last, as the network was trained) or auto (score for the quartet "
                  "styles, random for chorales)")
      ->transform(
          CLI::CheckedTransformer(std::map<std::string, sample::PassOrder>{{"auto", sample::PassOrder::kAuto},
                                                                           {"random", sample::PassOrder::kRandom},
                                                                           {"score", sample::PassOrder::kScore}}))
      ->default_str("auto");
  cmd->add_flag("!--free-rhythm", options.keep_rhythm,
                "Let the sweeps redraw the rhythm everywhere (by default, after a chronological first pass, they "
                "keep its rhythm except at fermatas and redraw pitches)");
  cmd->add_option("--style-guidance", options.style_guidance,
                  "Composers' quartet styles: guide each draw towards the style, away from quartet writing in "
                  "general (logits + G * (logits - logits as \"quartet\"); 0: off; twice the sampling time)")
      ->default_str("1 for haydn and beethoven, 0.75 for mozart; 0 otherwise");
  cmd->add_flag_callback(
      "--no-tilt", [&options] { options.melodic_tilt = model::MelodicTilt{}; },
      "Sample without the model's melodic tilt (the nats per voice and melodic interval that `calibrate` fitted to "
      "give the sweeps the training pieces' interval mix)");
}

void SamplingFlags::add_to(CLI::App* cmd) {
  cmd->add_option("-o,--output", outputs, "Files to write (.mid .musicxml .xml .mxl .wav .png .pdf .svg); repeatable")
      ->required();
  cmd->add_option("--model", model_path, "Model file (default: the shipped models/bach.dqm)");
  cmd->add_option("--constraints", constraints_path, "JSON constraints file (fixed notes, locked voices, fermatas)");
  cmd->add_option("--style", style, "Style token of the model (bach, haydn, mozart, beethoven, quartet)");
  cmd->add_option("--count", count, "How many pieces")->capture_default_str();
  cmd->add_option("--seed", options.seed, "Random seed (same seed, same music)")->capture_default_str();
  cmd->add_option("--voice-leading", options.voice_leading_penalty,
                  "Penalty in nats per parallel/hidden fifth or octave or leap beyond an octave a draw would make "
                  "(0: the model alone)")
      ->default_str("6 for chorales, 0 for the quartet styles");
  add_sampler_flags(cmd, options);
  cmd->add_option("--parallel", options.parallel, "Positions per voice per iteration (deepbach preset)")
      ->capture_default_str();
  cmd->add_option("--threads", options.threads, "CPU threads")->capture_default_str();
  cmd->add_flag("-q,--quiet", quiet, "No progress bar");
}

model::Model SamplingFlags::load() const {
  std::string path = model_path.empty() ? default_model_path() : model_path;
  if (!std::filesystem::exists(path)) {
    throw Error(path + ": model file not found" +
                (model_path.empty() ? " (the shipped model; pass --model or set DEEPQUARTET_MODEL)" : ""));
  }
  return model::load_model(path);
}

void SamplingFlags::check_outputs() const {
  if (count < 1 || count > 1000) throw Error("--count must be between 1 and 1000");
  for (const auto& out : outputs) {
    if (!io::can_write(out)) {
      throw Error(out + ": cannot write format '" + util::extension_of(out) +
                  "' (writable: .mid .midi .xml .musicxml .mxl .wav .png .pdf .svg)");
    }
  }
}

void SamplingFlags::write(const std::vector<music::Score>& pieces) const {
  for (size_t i = 0; i < pieces.size(); ++i) {
    for (const auto& out : outputs) {
      std::string path = out;
      if (pieces.size() > 1) {
        std::filesystem::path p(out);
        path = (p.parent_path() / (p.stem().string() + "-" + std::to_string(i + 1) + p.extension().string())).string();
      }
      io::write_score(pieces[i], path);
      if (!quiet) std::fprintf(stderr, "wrote %s\n", path.c_str());
    }
  }
}

}  // namespace dq::cli
