// `deepquartet eval`: the honest measure (a classifier two-sample test against
// Bach's test chorales and the tonal measures, for generated and
// reharmonized chorales with the voice-leading prior on and off), the
// model's metrics, the grader, the reharmonization measure and the copying
// check, written as a Markdown report with PNG charts and JSON.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "cli/sampling_flags.h"
#include "eval/chorale_evaluation.h"
#include "eval/melody_report.h"
#include "eval/quartet_report.h"
#include "model/model.h"
#include "util/error.h"

namespace dq::cli {

namespace {

struct EvalOptions {
  std::string model_path;
  std::string output = "reports/report.md";
  std::string conditions = "generated-on,generated-off,reharmonized-on,reharmonized-off";
  std::string melodies;               // a folder: the melody report instead of the evaluation
  std::vector<std::string> quartets;  // the quartet corpus: the quartet evaluation instead
  std::string styles = "haydn,mozart,beethoven";
  eval::ChoraleEvalOptions chorales;
};

int run_melody_report(const EvalOptions& o, model::Model& model, const std::string& path) {
  eval::MelodyReportOptions m;
  m.melodies = o.melodies;
  m.bach_corpus = o.chorales.corpus;
  m.sampling = o.chorales.sampling;
  m.progress = o.chorales.progress;
  eval::MelodyReport report = eval::run_melody_report(model, path, m);
  eval::write_melody_report(report, o.output);
  int failed = 0;
  for (const auto& r : report.melodies) failed += !r.error.empty();
  std::printf("melody report: %s (and .json); %zu melodies, %d failed\n", o.output.c_str(), report.melodies.size(),
              failed);
  return 0;
}

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> items;
  std::string item;
  for (char c : list + ",") {
    if (c != ',') {
      item += c;
    } else if (!item.empty()) {
      items.push_back(item);
      item.clear();
    }
  }
  return items;
}

int run_quartet_report(const EvalOptions& o, model::Model& model, const std::string& path) {
  eval::QuartetReportOptions q;
  q.corpus = o.quartets;
  q.styles = split_list(o.styles);
  q.generated = o.chorales.generated;
  q.bars = o.chorales.bars;
  q.sampling = o.chorales.sampling;
  q.classifier = o.chorales.classifier;
  q.progress = o.chorales.progress;
  if (q.styles.empty()) throw Error("--styles lists no style");
  const eval::QuartetReport report = eval::run_quartet_report(model, path, q);
  eval::write_quartet_report(report, o.output);
  std::printf("quartet report: %s (and .json)\n", o.output.c_str());
  return 0;
}

// The counts of the sets measured: --generated only where a generated
// condition is asked for (and by the quartet evaluation), --cv-folds against
// the smallest set measured.
void check_counts(const eval::ChoraleEvalOptions& b, bool quartets) {
  bool generated = quartets, reharmonized = false;
  for (eval::Condition c : b.conditions) {
    const bool is_generated = c == eval::Condition::kGeneratedOn || c == eval::Condition::kGeneratedOff;
    generated = generated || is_generated;
    reharmonized = reharmonized || (!is_generated && b.reharmonized > 0);
  }
  if (generated && (b.generated < 2 || b.generated > 1000)) throw Error("--generated must be 2 to 1000");
  if (b.reharmonized < 0) throw Error("--reharmonized must be 0 or more");
  if (b.bars < 1 || b.bars > 256) throw Error("--bars must be 1 to 256");
  const int smallest = generated && reharmonized ? std::min(b.generated, b.reharmonized)
                       : generated               ? b.generated
                                                 : b.reharmonized;
  if (b.classifier.folds < 2 || ((generated || reharmonized) && b.classifier.folds > smallest)) {
    throw Error("--cv-folds must be 2 to the smallest set measured (--generated, --reharmonized): " +
                std::to_string(smallest));
  }
  if (b.classifier.repeats < 1) throw Error("--cv-repeats must be 1 or more");
}

int run_eval(EvalOptions o) {
  std::string path = o.model_path.empty() ? default_model_path() : o.model_path;
  if (!std::filesystem::exists(path)) throw Error(path + ": model file not found");
  o.chorales.conditions = eval::parse_conditions(o.conditions);
  check_counts(o.chorales, !o.quartets.empty());
  model::Model model = model::load_model(path);
  if (!o.melodies.empty()) return run_melody_report(o, model, path);
  if (!o.quartets.empty()) return run_quartet_report(o, model, path);
  eval::EvalReport report = eval::evaluate_chorales(model, path, o.chorales);
  eval::write_report(report, o.output);
  std::printf("report: %s (and .json, charts beside it)\n", o.output.c_str());
  return 0;
}

}  // namespace

void add_eval(CLI::App& app, Runner& run) {
  auto o = std::make_shared<EvalOptions>();
  eval::ChoraleEvalOptions& b = o->chorales;
  b.corpus = std::string(DQ_SOURCE_DIR) + "/../shared/corpus/bach-chorales/musicxml";
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a model against the Bach test chorales (report with charts)");
  cmd->add_option("--model", o->model_path, "Model file (default: the shipped models/bach.dqm)");
  cmd->add_option("--corpus", b.corpus, "The Bach chorales (splits.tsv above them)")->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Markdown report to write")->capture_default_str();
  cmd->add_option("--melodies", o->melodies,
                  "A folder of melodies: harmonize each (as reharmonize does) and write the melody report "
                  "instead (key, transposition, fermatas, cadences, final chord, harmonic rhythm against the "
                  "meter, Bach's figures beside)");
  cmd->add_option("--quartets", o->quartets,
                  "The quartet corpus (files or folders; scripts/quartet-corpus.sh lists the shipped model's): "
                  "the quartet evaluation instead (pieces generated in each of --styles against the openings of "
                  "held-out movements of that style, and a style classifier; no voice-leading prior unless "
                  "--voice-leading)");
  cmd->add_option("--styles", o->styles, "Quartet evaluation: the styles to generate, comma-separated")
      ->capture_default_str();
  cmd->add_option("--conditions", o->conditions,
                  "Sets to measure against Bach, comma-separated; the first is also graded")
      ->capture_default_str();
  cmd->add_option("--generated", b.generated, "Chorales per generated condition")->capture_default_str();
  cmd->add_option("--bars", b.bars, "Bars per generated chorale")->capture_default_str();
  cmd->add_option("--reharmonized", b.reharmonized, "Test chorales per reharmonized condition (0: skip them)")
      ->capture_default_str();
  cmd->add_option("--voice-leading", b.sampling.voice_leading_penalty,
                  "Voice-leading prior of the \"-on\" conditions (nats per fault)")
      ->default_str("6; the quartet evaluation: 0, the quartet styles' default");
  add_sampler_flags(cmd, b.sampling);
  cmd->add_option("--seed", b.sampling.seed, "Random seed of the sampler")->capture_default_str();
  cmd->add_option("--threads", b.sampling.threads, "CPU threads")->capture_default_str();
  cmd->add_option("--cv-folds", b.classifier.folds, "Classifier test: folds")->capture_default_str();
  cmd->add_option("--cv-repeats", b.classifier.repeats, "Classifier test: repeats")->capture_default_str();
  cmd->add_option("--cv-seed", b.classifier.seed, "Classifier test: random seed")->capture_default_str();
  cmd->callback([o, &run] { run = [o] { return run_eval(*o); }; });
}

}  // namespace dq::cli
