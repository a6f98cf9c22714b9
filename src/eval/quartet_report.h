// The quartet evaluation (`deepquartet eval --quartets FILES...`): does a
// quartet model write music that sounds like string quartets, in the style
// asked for? For each style asked for (haydn, mozart, beethoven):
// - real: the opening `bars` bars (music/excerpt.h) of every movement of that
//   style that the model never trained on (the valid and test splits), each
//   read in its home key (music::home_key of the whole movement);
// - generated: `generated` pieces of `bars` bars in that style, the key and
//   meter of each drawn (seeded) from those movements, sampled as
//   `sampling` says (no fermatas: the quartet styles' default);
// - the floor: the same held-out openings against as many openings of
//   training-split movements of that style (real against real).
// Measured on them:
// - the classifier two-sample test (two_sample.h) of generated against real,
//   and of the floor, on the features of piece_features.h less the fermata
//   cadences and the final chord (an opening ends anywhere), plus the
//   texture per instrument (quartet_texture_features);
// - the texture with the real spread: for each texture feature and note
//   length, the generated mean beside the real mean and the 10th-90th
//   percentiles of the real openings;
// - a style classifier (style_classifier.h) trained on the training split's
//   movements of every quartet style of the corpus (haydn, mozart,
//   beethoven, quartet: everyone else; up to kWindowsPerMovement windows of
//   `bars` bars each): its accuracy on the held-out openings, and the share of
//   each generated set it labels with the style asked for;
// - the quartet reharmonization: violin I of every held-out opening kept and
//   the other three written by the model in the style (the seed's use: a
//   tune harmonized as a quartet), measured like the generated pieces (told
//   apart from the real openings, labelled by the style classifier, texture)
//   and by how often violin II, viola and cello play the composer's notes;
// - the model's loss and accuracy on the held-out movements of each style.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "eval/piece_features.h"
#include "eval/two_sample.h"
#include "model/model.h"
#include "music/score.h"
#include "sample/sampler.h"

namespace dq::eval {

constexpr int kWindowsPerMovement = 4;

// Per instrument (violin I, violin II, viola, cello): the fraction of ticks
// it rests, its mean pitch (MIDI) and the fraction of its notes that are
// 16ths; named "violin I: rests (of ticks)" and so on.
void add_quartet_texture_features(const music::Score& score, FeatureVector& features);

struct QuartetReportOptions {
  std::vector<std::string> corpus;  // files or folders (scripts/quartet-corpus.sh)
  std::vector<std::string> styles = {"haydn", "mozart", "beethoven"};
  int generated = 30;  // per style
  int bars = 16;
  sample::SampleOptions sampling;
  TwoSampleOptions classifier;
  bool progress = true;
};

// One feature's per-piece values in a generated set and in the real openings.
struct TextureRow {
  std::string name;
  double generated_mean = 0;
  double real_mean = 0;
  double real_p10 = 0, real_p90 = 0;
  bool within() const { return generated_mean >= real_p10 && generated_mean <= real_p90; }
};

struct StyleResult {
  std::string style;
  int real_pieces = 0;  // held-out openings
  int generated_pieces = 0;
  double seconds_per_piece = 0;
  TwoSampleResult generated_vs_real;  // set A: generated, set B: real
  TwoSampleResult floor;              // set A: training-split openings, set B: real
  std::vector<TextureRow> texture;
  std::vector<int> labelled_as;  // generated pieces per style of the style classifier
  // Violin I of each held-out opening kept, the others written by the model.
  int reharmonized_pieces = 0;
  TwoSampleResult reharmonized_vs_real;  // set A: reharmonized, set B: real
  std::vector<int> reharmonized_labelled_as;
  std::vector<TextureRow> reharmonized_texture;
  // Per instrument, the fraction of the real opening's sounding ticks where
  // the reharmonization sounds the same pitch (violin I: 1 by construction).
  std::array<double, music::kNumVoices> reharmonized_agreement{};
  // The model on the held-out movements of the style (whole movements, original keys).
  double model_loss = 0, model_accuracy = 0, model_onset_accuracy = 0;
};

struct QuartetReport {
  std::vector<std::pair<std::string, std::string>> facts;
  std::vector<StyleResult> styles;
  // The style classifier: its styles and, per real style, the held-out
  // openings it labels with each style (rows: true style).
  std::vector<std::string> classifier_styles;
  std::vector<std::vector<int>> held_out_confusion;
  int classifier_training_pieces = 0;
  int features = 0;
};

// Runs the evaluation; throws dq::Error when a style is not the model's, or
// has fewer held-out or training movements than the classifier test's folds.
QuartetReport run_quartet_report(model::Model& model, const std::string& model_path,
                                 const QuartetReportOptions& options);

// Writes `path` (Markdown) and the same figures as JSON beside it (.json).
void write_quartet_report(const QuartetReport& report, const std::string& path);

}  // namespace dq::eval
