// `deepquartet reharmonize MELODY`: harmonizes a melody (or keeps chosen
// voices of a four-voice score and regenerates the others).
#include <cstdio>

#include "cli/commands.h"
#include "cli/sampling_flags.h"
#include "io/score_file.h"
#include "music/pitch.h"
#include "sample/compose.h"
#include "sample/constraints.h"
#include "util/error.h"

namespace dq::cli {

namespace {

struct ReharmonizeOptions {
  SamplingFlags flags;
  std::string input;
  int part = 0;  // 1-based; 0 = the top line
  std::string key;
  std::string fermatas;
  std::string keep = "soprano";
  std::string transpose = "auto";
};

int run_reharmonize(ReharmonizeOptions o) {
  o.flags.check_outputs();
  io::ReadOptions read;
  if (o.part > 0) read.parts = {o.part - 1};
  music::Score input = io::read_score(o.input, read);
  sample::ReharmonizeRequest request;
  if (!o.key.empty()) request.key = music::parse_key(o.key);
  request.fermatas = o.fermatas;
  request.keep = sample::parse_voices(o.keep);
  request.transpose = sample::parse_transpose(o.transpose);
  request.style = o.flags.style;
  request.count = o.flags.count;
  model::Model model = o.flags.load();
  o.flags.options.progress = !o.flags.quiet;
  sample::ReharmonizeReport report;
  std::vector<music::Score> pieces = sample::reharmonize(model, input, request, o.flags.options, &report);
  if (!o.flags.constraints_path.empty()) {
    // Constraints refine the result: fixed notes and locked voices on top of the kept melody.
    sample::Constraints constraints = sample::read_constraints(o.flags.constraints_path);
    for (auto& piece : pieces) {
      sample::FixedMask fixed = sample::no_fixed(piece.length());
      for (int v : request.keep) fixed[v].assign(piece.length(), true);
      sample::apply_constraints(constraints, piece, fixed);
      piece = sample::sample(model, {piece}, {fixed}, sample::style_index(model, request.style), o.flags.options)[0];
    }
  }
  if (!o.flags.quiet) {
    std::fprintf(stderr, "key %s (%s); %d fermatas (%s); %d of %d notes changed by quantization\n",
                 music::key_name(report.key).c_str(), report.key_detected ? "detected" : "given", report.fermata_count,
                 report.fermatas_at_bar_lines        ? "at the bar lines of an unmetered melody"
                 : report.fermatas_inferred          ? "inferred at phrase ends"
                 : report.fermatas_from_phrase_marks ? "at the file's phrase marks"
                                                     : "from the file or --fermatas",
                 report.quantization.total_changed(), report.quantization.notes_read);
    if (report.transposition != 0) {
      std::fprintf(stderr, "transposed %+d semitones%s\n", report.transposition,
                   request.transpose ? " (--transpose)" : " to fit the model's range (--transpose none keeps the key)");
    }
    if (report.notes_outside_range > 0) {
      std::fprintf(stderr, "%d kept notes lie outside the model's range: written as they are, read an octave inside\n",
                   report.notes_outside_range);
    }
  }
  o.flags.write(pieces);
  return 0;
}

}  // namespace

void add_reharmonize(CLI::App& app, Runner& run) {
  auto o = std::make_shared<ReharmonizeOptions>();
  CLI::App* cmd =
      app.add_subcommand("reharmonize", "Harmonize a melody in four voices (the melody is kept note for note)");
  cmd->add_option("melody", o->input, "Melody or score (.mid .musicxml .mxl .krn)")->required();
  cmd->add_option("--part", o->part, "Part/track holding the melody (1-based; default: the top line)");
  cmd->add_option("--key", o->key, "Key (default: detected, Krumhansl-Schmuckler)");
  cmd->add_option("--fermatas", o->fermatas,
                  "every:Nbars, bars (4,8,12) or none (default: from the file, else inferred)");
  cmd->add_option("--transpose", o->transpose,
                  "Semitones to move the input by, none, or auto (only if the melody does not fit the model's "
                  "range: by octaves first, then by the smallest interval)")
      ->capture_default_str();
  cmd->add_option("--keep", o->keep, "Voices kept from the input, e.g. soprano or soprano,bass")->capture_default_str();
  o->flags.add_to(cmd);
  cmd->callback([o, &run] { run = [o] { return run_reharmonize(*o); }; });
}

}  // namespace dq::cli
