// `deepquartet regenerate SCORE --from BAR[:BEAT] --to BAR[:BEAT]`: resamples
// a region of a score; everything outside it stays as it was.
#include <cstdio>

#include "cli/commands.h"
#include "cli/sampling_flags.h"
#include "io/score_file.h"
#include "sample/compose.h"
#include "sample/constraints.h"
#include "util/error.h"

namespace dq::cli {

namespace {

struct RegenerateOptions {
  SamplingFlags flags;
  std::string input;
  std::string from, to;
  std::string voices = "all";
};

int run_regenerate(RegenerateOptions o) {
  o.flags.check_outputs();
  music::Score score = io::read_score(o.input);
  int from = sample::parse_position(score, o.from, false);
  int to = sample::parse_position(score, o.to, true);
  if (to <= from) throw Error("--to must come after --from");
  std::vector<int> voices = sample::parse_voices(o.voices);
  model::Model model = o.flags.load();
  o.flags.options.progress = !o.flags.quiet;
  std::optional<sample::FixedMask> fixed;
  if (!o.flags.constraints_path.empty()) {
    sample::FixedMask mask = sample::no_fixed(score.length());
    sample::apply_constraints(sample::read_constraints(o.flags.constraints_path), score, mask);
    fixed = mask;
  }
  std::vector<music::Score> pieces =
      sample::regenerate(model, score, from, to, voices, o.flags.count, o.flags.options, fixed, o.flags.style);
  o.flags.write(pieces);
  return 0;
}

}  // namespace

void add_regenerate(CLI::App& app, Runner& run) {
  auto o = std::make_shared<RegenerateOptions>();
  CLI::App* cmd = app.add_subcommand("regenerate", "Regenerate a region of a score, keeping everything else");
  cmd->add_option("score", o->input, "Score (.mid .musicxml .mxl .krn)")->required();
  cmd->add_option("--from", o->from, "First bar (or BAR:BEAT) of the region")->required();
  cmd->add_option("--to", o->to, "Last bar (or BAR:BEAT) of the region, included")->required();
  cmd->add_option("--voices", o->voices, "Voices to regenerate, e.g. alto,tenor (default all)")->capture_default_str();
  o->flags.add_to(cmd);
  cmd->callback([o, &run] { run = [o] { return run_regenerate(*o); }; });
}

}  // namespace dq::cli
