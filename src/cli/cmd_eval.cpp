// `deepquartet eval`: the model's metrics, the grader on generated chorales
// against Bach, the reharmonization benchmark and the copying check, written
// as a Markdown report with PNG charts and JSON.
#include <cstdio>
#include <filesystem>

#include "cli/commands.h"
#include "eval/benchmark.h"
#include "model/model.h"
#include "music/error.h"

namespace dq::cli {

namespace {

struct EvalOptions {
  std::string model_path;
  std::string output = "eval/report.md";
  eval::BenchmarkOptions benchmark;
};

int run_eval(EvalOptions o) {
  std::string path = o.model_path.empty() ? default_model_path() : o.model_path;
  if (!std::filesystem::exists(path)) throw Error(path + ": model file not found");
  if (o.benchmark.generated < 2 || o.benchmark.generated > 1000) throw Error("--generated must be 2 to 1000");
  model::Model model = model::load_model(path);
  eval::EvalReport report = eval::run_benchmark(model, path, o.benchmark);
  eval::write_report(report, o.output);
  std::printf("report: %s (and .json, charts beside it)\n", o.output.c_str());
  return 0;
}

}  // namespace

void add_eval(CLI::App& app, Runner& run) {
  auto o = std::make_shared<EvalOptions>();
  o->benchmark.corpus = std::string(DQ_SOURCE_DIR) + "/../shared/corpus/bach-chorales/musicxml";
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate a model against the Bach test chorales (report with charts)");
  cmd->add_option("--model", o->model_path, "Model file (default: the shipped models/bach.dqm)");
  cmd->add_option("--corpus", o->benchmark.corpus, "The Bach chorales (splits.tsv above them)")->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Markdown report to write")->capture_default_str();
  cmd->add_option("--generated", o->benchmark.generated, "Chorales to generate")->capture_default_str();
  cmd->add_option("--bars", o->benchmark.bars, "Bars per generated chorale")->capture_default_str();
  cmd->add_option("--reharmonized", o->benchmark.reharmonized, "Test chorales to reharmonize (0: skip)")
      ->capture_default_str();
  cmd->add_option("--iterations", o->benchmark.sampling.iterations, "Sampling sweeps/iterations (0: default)");
  cmd->add_option("--temperature", o->benchmark.sampling.temperature, "Final temperature")->capture_default_str();
  cmd->add_option("--voice-leading", o->benchmark.sampling.voice_leading_penalty,
                  "Sampler's voice-leading penalty (nats per fault; 0: the model alone)")
      ->capture_default_str();
  cmd->add_option("--seed", o->benchmark.sampling.seed, "Random seed")->capture_default_str();
  cmd->add_option("--threads", o->benchmark.sampling.threads, "CPU threads")->capture_default_str();
  cmd->callback([o, &run] { run = [o] { return run_eval(*o); }; });
}

}  // namespace dq::cli
