// The melodic tilt (sample/melodic_tilt.h): each candidate gains the nats of
// the intervals it makes; the sweeps after the first (or a first that is
// the only one) sample with the style's table from the model file unless
// told otherwise; and the fit brings the
// generated interval mix towards the training pieces'.
#include <gtest/gtest.h>

#include <cmath>

#include "io/score_file.h"
#include "model/model.h"
#include "music/melody.h"
#include "sample/compose.h"
#include "sample/melodic_tilt.h"
#include "sample/sampler.h"
#include "support/core_test_util.h"
#include "util/error.h"

namespace dq::testing {
namespace {

using music::interval_bucket;
using music::Score;

// A tilt whose entry for voice v and bucket i is v + i / 100 (all distinct).
model::MelodicTilt distinct_tilt() {
  model::MelodicTilt tilt{};
  for (int v = 0; v < music::kNumVoices; ++v)
    for (int i = 0; i < music::kIntervalBuckets; ++i) tilt[v][i] = static_cast<float>(v + i / 100.0);
  return tilt;
}

TEST(CoreMelodicTilt, EachCandidateGainsTheIntervalsItMakes) {
  corpus::Vocabulary vocab;
  for (auto& voice : vocab) voice = {55, 79};
  const auto index = [&](int pitch) { return static_cast<int64_t>(corpus::kFirstPitchIndex + pitch - 55); };
  // Voice 2 (the tenor): START, G4 held, (tick 3 drawn), a rest, C5, END.
  const int64_t length = 8;
  std::vector<int64_t> piece(music::kNumVoices * length, corpus::kRestIndex);
  int64_t* row = piece.data() + 2 * length;
  const int64_t written[] = {corpus::kStartIndex, index(67), corpus::kHoldIndex, index(60),
                             corpus::kRestIndex,  index(72), corpus::kHoldIndex, corpus::kEndIndex};
  std::copy(std::begin(written), std::end(written), row);
  const model::MelodicTilt tilt = distinct_tilt();
  std::vector<float> logits(vocab[2].size(), 0.0f);
  sample::apply_tilt(tilt, vocab, piece.data(), length, 2, 3, logits.data());
  // A pitch: the interval from G4 (the previous note) and into C5 (the next, across the rest).
  for (int pitch : {60, 67, 74, 79}) {
    EXPECT_FLOAT_EQ(logits[index(pitch)], tilt[2][interval_bucket(pitch - 67)] + tilt[2][interval_bucket(72 - pitch)])
        << pitch;
  }
  // A hold joins G4 to C5: a fourth up.
  EXPECT_FLOAT_EQ(logits[corpus::kHoldIndex], tilt[2][interval_bucket(72 - 67)]);
  EXPECT_FLOAT_EQ(logits[corpus::kRestIndex], 0.0f);
  // With nothing before it, a note gains only the interval into the next one.
  std::fill(logits.begin(), logits.end(), 0.0f);
  sample::apply_tilt(tilt, vocab, piece.data(), length, 2, 1, logits.data());
  EXPECT_FLOAT_EQ(logits[index(65)], tilt[2][interval_bucket(60 - 65)]);
}

// The share of repeated notes among all moves of all voices of `pieces`.
double repeated_share(const std::vector<Score>& pieces) {
  const music::IntervalMix mix = music::interval_mix(pieces);
  double share = 0;
  for (const auto& voice : mix) share += voice[0] / music::kNumVoices;
  return share;
}

TEST(CoreMelodicTilt, TheSweepsSampleWithTheModelsTableUnlessToldOtherwise) {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  torch::manual_seed(3);
  model::Model m = model::Model::create(c);
  const Score chorale = io::read_score(chorale_path());
  const sample::FixedMask free = sample::no_fixed(chorale.length());
  sample::SampleOptions o;
  o.iterations = 4;
  o.threads = 1;
  o.voice_leading_penalty = 0;
  std::vector<Score> none, repeating, explicit_none;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    o.seed = seed;
    none.push_back(sample::sample(m, {chorale}, {free}, 0, o)[0]);
  }
  // The model file's table for its style: every voice repeats its note.
  model::MelodicTilt repeat{};
  for (auto& voice : repeat) voice[0] = 6;
  m.config.melodic_tilt["bach"] = repeat;
  EXPECT_EQ(sample::default_melodic_tilt(m, 0), repeat);
  sample::SampleOptions untilted = o;
  untilted.melodic_tilt = model::MelodicTilt{};
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    o.seed = untilted.seed = seed;
    repeating.push_back(sample::sample(m, {chorale}, {free}, 0, o)[0]);
    explicit_none.push_back(sample::sample(m, {chorale}, {free}, 0, untilted)[0]);
  }
  EXPECT_GT(repeated_share(repeating), repeated_share(none) + 0.2);
  for (size_t i = 0; i < none.size(); ++i) EXPECT_TRUE(none[i].same_music(explicit_none[i])) << i;
  // One sweep alone is tilted too (the string-quartet styles' pass).
  o.iterations = untilted.iterations = 1;
  std::vector<Score> one_repeating, one_untilted;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    o.seed = untilted.seed = seed;
    one_repeating.push_back(sample::sample(m, {chorale}, {free}, 0, o)[0]);
    one_untilted.push_back(sample::sample(m, {chorale}, {free}, 0, untilted)[0]);
  }
  EXPECT_GT(repeated_share(one_repeating), repeated_share(one_untilted) + 0.2);
}

TEST(CoreMelodicTilt, TheFitMovesTheGeneratedMixTowardsTheTrainingPieces) {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  torch::manual_seed(5);
  model::Model m = model::Model::create(c);  // untrained: its lines leap anywhere
  const Score chorale = io::read_score(chorale_path());
  sample::TiltFitOptions o;
  o.pieces = 4;
  o.bars = 4;
  o.rounds = 3;
  o.sampling.iterations = 3;
  o.sampling.threads = 1;
  int rounds = 0;
  o.on_round = [&rounds](int, double) { ++rounds; };
  const sample::TiltFit fit = sample::fit_melodic_tilt(m, 0, {chorale}, o);
  EXPECT_EQ(rounds, 4);
  EXPECT_EQ(fit.target, music::interval_mix({chorale}));
  EXPECT_LT(fit.distance, 0.6 * fit.untilted_distance) << fit.untilted_distance;
  EXPECT_FALSE(sample::is_zero(fit.tilt));
  EXPECT_THROW(sample::fit_melodic_tilt(m, 0, {}, o), Error);
}

TEST(CoreMelodicTilt, TheModelFileKeepsEachStylesTable) {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.melodic_tilt["bach"] = distinct_tilt();
  const model::ModelConfig back = model::config_from_json(model::to_json(c));
  EXPECT_EQ(back.melodic_tilt, c.melodic_tilt);
  c.melodic_tilt["haydn"] = distinct_tilt();  // not a style of the model
  EXPECT_THROW(model::config_from_json(model::to_json(c)), Error);
  c.melodic_tilt.erase("haydn");
  c.melodic_tilt["bach"][1][3] = std::nanf("");
  EXPECT_THROW(model::config_from_json(model::to_json(c)), Error);
}

}  // namespace
}  // namespace dq::testing
