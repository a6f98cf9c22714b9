// The honest measure of a set of chorales: the classifier two-sample test of
// its pieces against Bach's test chorales (two_sample.h, on the feature
// vectors of piece_features.h) and its tonal measures (tonal.h), beside the
// same figures for Bach's own chorales. It is the headline of
// `deepquartet eval`; Markdown and JSON in measure_report.h.
#pragma once

#include <string>
#include <vector>

#include "eval/tonal.h"
#include "eval/two_sample.h"
#include "music/score.h"

namespace dq::eval {

// The feature vectors and pooled tonal counts of a set of pieces.
struct MeasuredSet {
  std::string name;
  std::vector<std::string> feature_names;
  std::vector<std::vector<double>> features;  // one per piece
  TonalCounts tonal;
  int size() const { return static_cast<int>(features.size()); }
};

// Reads every piece `scores[i]` in key `keys[i]` (the same number of each;
// throws dq::Error otherwise).
MeasuredSet measure_set(const std::string& name, const std::vector<music::Score>& scores,
                        const std::vector<music::KeySignature>& keys);

// One set compared with Bach's test chorales.
struct ConditionResult {
  std::string id;    // "generated-on", for JSON; "bach-valid" for the floor
  std::string name;  // "generated, prior on", for tables
  std::string description;
  int pieces = 0;
  TwoSampleResult against_bach;  // set A: this set, set B: Bach's test chorales
  TonalMeasures tonal;
};

// The two-sample test of `set` against `bach` and the tonal measures of `set`.
ConditionResult compare_with_bach(const std::string& id, const std::string& description, const MeasuredSet& set,
                                  const MeasuredSet& bach, const TwoSampleOptions& options);

struct MeasureReport {
  int bach_pieces = 0;       // 0: no measure section
  TonalMeasures bach_tonal;  // Bach's test chorales
  ConditionResult floor;     // Bach's valid chorales against his test chorales
  std::vector<ConditionResult> conditions;
  TwoSampleOptions options;
  int features = 0;
};

}  // namespace dq::eval
