// `deepquartet generate`: new pieces from the model, with key, meter, length,
// fermatas and style chosen by the user.
#include <cstdio>

#include "cli/commands.h"
#include "cli/sampling_flags.h"
#include "music/pitch.h"
#include "sample/compose.h"
#include "sample/constraints.h"
#include "util/error.h"

namespace dq::cli {

namespace {

struct GenerateOptions {
  SamplingFlags flags;
  int bars = 16;
  std::string key = "C major";
  std::string meter = "4/4";
  std::string fermatas;
  bool open_end = false;
};

int run_generate(GenerateOptions o) {
  o.flags.check_outputs();
  sample::PieceRequest request;
  request.bars = o.bars;
  request.key = music::parse_key(o.key);
  request.time = music::parse_meter(o.meter);
  request.fermatas = o.fermatas;
  request.style = o.flags.style;
  request.count = o.flags.count;
  request.open_end = o.open_end;
  model::Model model = o.flags.load();
  o.flags.options.progress = !o.flags.quiet;
  std::vector<music::Score> pieces;
  if (o.flags.constraints_path.empty()) {
    pieces = sample::generate(model, request, o.flags.options);
  } else {
    if (request.open_end) throw Error("--open-end cannot be combined with --constraints");
    // The same empty piece, with the constraints written in and fixed.
    sample::Constraints constraints = sample::read_constraints(o.flags.constraints_path);
    request.count = 1;
    music::Score base = music::make_empty_score(request.bars * request.time.ticks_per_bar(), request.key, request.time);
    sample::apply_fermatas(
        base, request.fermatas.empty() ? sample::default_fermatas(model, request.style) : request.fermatas);
    sample::FixedMask fixed = sample::no_fixed(base.length());
    sample::apply_constraints(constraints, base, fixed);
    std::vector<music::Score> scores(o.flags.count, base);
    std::vector<sample::FixedMask> masks(o.flags.count, fixed);
    pieces = sample::sample(model, scores, masks, sample::style_index(model, o.flags.style), o.flags.options);
  }
  o.flags.write(pieces);
  return 0;
}

}  // namespace

void add_generate(CLI::App& app, Runner& run) {
  auto o = std::make_shared<GenerateOptions>();
  CLI::App* cmd = app.add_subcommand("generate", "Generate new pieces (pseudo-Gibbs sampling)");
  cmd->add_option("--bars", o->bars, "Length in bars")->capture_default_str();
  cmd->add_option("--key", o->key, "Key, e.g. \"D major\", \"b minor\"")->capture_default_str();
  cmd->add_option("--meter", o->meter, "Time signature, e.g. 4/4, 3/4")->capture_default_str();
  cmd->add_option("--fermatas", o->fermatas,
                  "every:Nbars, a list of bars (4,8,12) or none; in a bar where Bach ends a phrase (4/4: beat 3, "
                  "the last bar's beats 3-4; 3/4: the downbeat) (default: every:2bars for chorales, none for the "
                  "quartet styles)");
  cmd->add_flag("--open-end", o->open_end,
                "The opening of a longer piece: the model is told the music goes on after the last bar, so it "
                "writes no final cadence (the quartet evaluation compares such openings with real ones)");
  o->flags.add_to(cmd);
  cmd->callback([o, &run] { run = [o] { return run_generate(*o); }; });
}

}  // namespace dq::cli
