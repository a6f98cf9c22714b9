// The evaluation report: grades a set of generated four-voice scores against
// Bach's test chorales (rule rates, feature distributions, a grade per piece,
// copying from the training chorales) and writes it as Markdown with PNG
// charts and as JSON. Callers may add model metrics (tables),
// reharmonization agreement and the honest measure (measure.h, written first
// as the report's headline) before writing.
//
// The grade of a piece (0-100), in the spirit of "Bach or Mock" (Fang et al.
// 2020), compares each of its measurements with what Bach's test chorales
// reach in 90% of cases:
// - for each rule, its rate per note against the 90th percentile of Bach's
//   per-piece rates (at least kMinRuleReference), and the fraction of
//   non-cadential fermatas against Bach's 90th percentile (at least
//   kMinCadenceReference; skipped without fermatas);
// - for each feature, its distance to Bach's pooled histograms against the
//   90th percentile of Bach's leave-one-out distances (skipped when NaN).
// A measurement at or below its reference scores 1, above it reference /
// value (twice the reference scores 0.5). The grade is 100 times the mean of
// the rule scores and the mean of the feature scores, averaged. Bach's own
// pieces are graded with their leave-one-out distances, against references
// computed from all Bach test pieces (themselves included). On the corpus,
// Bach's test chorales average 98 (lowest 91); a piece at twice Bach's 90th
// percentile in every measurement scores 50.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "eval/copying.h"
#include "eval/distributions.h"
#include "eval/grader.h"
#include "eval/measure.h"
#include "music/range.h"
#include "music/score.h"

namespace dq::eval {

constexpr double kMinRuleReference = 0.005;   // per note: rules Bach almost never breaks
constexpr double kMinCadenceReference = 0.1;  // non-cadential fermata fraction
// A set passes a rule when its rate per note is at most twice Bach's, or at
// most this absolute rate where twice Bach's rate is smaller (e.g. zero).
constexpr double kRateTolerance = 0.001;

// What Bach's test chorales reach in 90% of cases (see the grade above).
struct Reference {
  std::array<double, kNumRules> rule_p90{};  // per-piece rate per note
  double noncadential_p90 = 0;
  std::array<Spread, kNumFeatures> spread{};  // of leave-one-out distances
};

// One set of scores, graded piece by piece.
struct GradedSet {
  std::string name;
  std::vector<std::string> piece_names;
  std::vector<RuleCounts> counts;
  std::vector<FeatureDistances> distances;  // to Bach's test set (Bach: leave-one-out)
  std::vector<double> grades;
  std::vector<VoiceCopies> copies;  // longest stretches shared with the training set
  RuleCounts total;
  Features features;  // pooled over the set
  int size() const { return static_cast<int>(piece_names.size()); }
};

// A free-form table (model metrics: per-voice loss and accuracy...).
struct Table {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::string note;  // printed under the table; may be empty
};

// How closely reharmonizations of Bach's sopranos agree with Bach's own parts.
struct Reharmonization {
  int pieces = 0;  // 0: no reharmonization section
  // Per voice, fraction of the ticks where Bach's voice sounds a note at which
  // the generated voice sounds the same pitch.
  std::array<double, music::kNumVoices> note_agreement{};
  // Fraction of Bach's chord slices where the generated score sounds the same
  // set of pitch classes.
  double chord_agreement = 0;
  std::string note;
};

struct EvalReport {
  std::string title = "Evaluation";
  std::vector<std::pair<std::string, std::string>> facts;  // e.g. {"model", path}
  GradedSet generated;
  GradedSet bach;  // Bach's test chorales, graded the same way
  Reference reference;
  std::vector<std::string> training_names;
  std::vector<Table> tables;
  Reharmonization reharmonization;
  MeasureReport measure;  // the headline section, when measure.bach_pieces > 0
};

// The grade (0-100) of a piece with `counts` and feature `distances` to Bach.
double piece_grade(const RuleCounts& counts, const FeatureDistances& distances, const Reference& reference);

// Grades `generated` and `bach_test` against `bach_test`, and looks for
// stretches of both copied from `training`. Throws dq::Error when
// `bach_test` has fewer than two pieces.
EvalReport evaluate(const std::vector<music::Score>& generated, const std::vector<music::Score>& bach_test,
                    const std::vector<music::Score>& training, const music::VoiceRanges& ranges);

// Note and chord agreement of `generated[i]` with `originals[i]` (same
// number of pieces; each pair compared over the shorter length).
Reharmonization compare_reharmonizations(const std::vector<music::Score>& generated,
                                         const std::vector<music::Score>& originals);

// Writes `report` to `markdown_path` (e.g. out/report.md), the JSON beside it
// with the extension .json (out/report.json) and one PNG chart per feature
// histogram (out/report_pitch_class.png, ...), creating the folder if needed.
// Every file is written through a temporary file and a rename. Throws
// dq::Error if a file cannot be written.
void write_report(const EvalReport& report, const std::string& markdown_path);

}  // namespace dq::eval
