#include "eval/measure.h"

#include "eval/piece_features.h"
#include "util/error.h"

namespace dq::eval {

MeasuredSet measure_set(const std::string& name, const std::vector<music::Score>& scores,
                        const std::vector<music::KeySignature>& keys) {
  if (scores.size() != keys.size()) {
    throw Error("measure of " + name + ": " + std::to_string(scores.size()) + " pieces but " +
                std::to_string(keys.size()) + " keys");
  }
  MeasuredSet set;
  set.name = name;
  for (size_t i = 0; i < scores.size(); ++i) {
    FeatureVector f = piece_feature_vector(scores[i], keys[i]);
    if (set.feature_names.empty()) set.feature_names = f.names;
    set.features.push_back(std::move(f.values));
    set.tonal += tonal_counts(scores[i], keys[i]);
  }
  return set;
}

ConditionResult compare_with_bach(const std::string& id, const std::string& description, const MeasuredSet& set,
                                  const MeasuredSet& bach, const TwoSampleOptions& options) {
  ConditionResult result;
  result.id = id;
  result.name = set.name;
  result.description = description;
  result.pieces = set.size();
  result.against_bach = two_sample_test(set.features, bach.features, bach.feature_names, options);
  result.tonal = tonal_measures(set.tonal);
  return result;
}

}  // namespace dq::eval
