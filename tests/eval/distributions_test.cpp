#include "eval/distributions.h"

#include <cmath>

#include <gtest/gtest.h>

#include "score_maker.h"
#include "util/error.h"

namespace dq::eval {
namespace {

using testing::make_score;

std::vector<double> delta(int size, int at) {
  std::vector<double> h(size, 0.0);
  h[at] = 1;
  return h;
}

TEST(Distributions, WassersteinOfIdenticalHistogramsIsZero) {
  std::vector<double> h = {1, 4, 2, 0, 3};
  EXPECT_DOUBLE_EQ(wasserstein_1d(h, h), 0.0);
  // Scale does not matter: histograms are normalized first.
  std::vector<double> twice = {2, 8, 4, 0, 6};
  EXPECT_NEAR(wasserstein_1d(h, twice), 0.0, 1e-12);
}

TEST(Distributions, WassersteinOfShiftedDeltaIsTheShift) {
  EXPECT_DOUBLE_EQ(wasserstein_1d(delta(12, 2), delta(12, 5)), 3.0);
  EXPECT_DOUBLE_EQ(wasserstein_1d(delta(12, 11), delta(12, 0)), 11.0);
  // Half the mass moved by 4 bins costs 2.
  EXPECT_DOUBLE_EQ(wasserstein_1d({1, 0, 0, 0, 1}, {2, 0, 0, 0, 0}), 2.0);
}

TEST(Distributions, EmptyHistogramGivesNaN) {
  EXPECT_TRUE(std::isnan(wasserstein_1d({0, 0}, {1, 0})));
  EXPECT_TRUE(std::isnan(total_variation({1, 0}, {0, 0})));
}

TEST(Distributions, TotalVariation) {
  EXPECT_DOUBLE_EQ(total_variation(delta(7, 0), delta(7, 6)), 1.0);
  EXPECT_DOUBLE_EQ(total_variation({1, 1, 0}, {1, 0, 1}), 0.5);
  // Chord quality uses it: unordered bins.
  EXPECT_DOUBLE_EQ(feature_distance(Feature::kChordQuality, delta(7, 0), delta(7, 6)), 1.0);
  EXPECT_DOUBLE_EQ(feature_distance(Feature::kPitchClass, delta(12, 0), delta(12, 6)), 6.0);
}

TEST(Distributions, ClassifyChord) {
  auto mask = [](std::initializer_list<int> pcs) {
    int m = 0;
    for (int pc : pcs) m |= 1 << pc;
    return m;
  };
  EXPECT_EQ(classify_chord(mask({0, 4, 7})), ChordQuality::kMajor);
  EXPECT_EQ(classify_chord(mask({9, 0, 4})), ChordQuality::kMinor);
  EXPECT_EQ(classify_chord(mask({11, 2, 5})), ChordQuality::kDiminished);
  EXPECT_EQ(classify_chord(mask({0, 4, 8})), ChordQuality::kAugmented);
  EXPECT_EQ(classify_chord(mask({7, 11, 2, 5})), ChordQuality::kDominantSeventh);
  EXPECT_EQ(classify_chord(mask({0, 4, 7, 11})), ChordQuality::kOtherSeventh);
  EXPECT_EQ(classify_chord(mask({11, 2, 5, 8})), ChordQuality::kOtherSeventh);  // diminished seventh
  EXPECT_EQ(classify_chord(mask({0, 4})), ChordQuality::kOther);
  EXPECT_EQ(classify_chord(mask({7, 11, 5})), ChordQuality::kOther);  // seventh without fifth
  EXPECT_EQ(classify_chord(mask({0, 2, 4, 7})), ChordQuality::kOther);
  EXPECT_EQ(classify_chord(0), ChordQuality::kOther);
}

TEST(Distributions, PieceFeatures) {
  // G major: soprano G4 (quarter) D5 (half); bass G2 (dotted half). Two
  // slices: G+G (incomplete) and D over G (incomplete).
  auto score = make_score({{{67, 4}, {74, 8}}, {}, {}, {{43, 12}}}, {1, music::Mode::kMajor});
  Features f = piece_features(score);
  const auto& pc = f[Feature::kPitchClass];
  EXPECT_EQ(pc[0], 2);  // G twice
  EXPECT_EQ(pc[7], 1);  // D, the fifth
  const auto& soprano = f[Feature::kIntervalSoprano];
  ASSERT_EQ(soprano.size(), 25u);
  EXPECT_EQ(soprano[12 + 7], 1);
  EXPECT_EQ(f[Feature::kIntervalBass][12], 0);
  const auto& lengths = f[Feature::kNoteLength];
  ASSERT_EQ(lengths.size(), 16u);
  EXPECT_EQ(lengths[3], 1);   // 4 ticks
  EXPECT_EQ(lengths[7], 1);   // 8 ticks
  EXPECT_EQ(lengths[11], 1);  // 12 ticks
  EXPECT_EQ(f[Feature::kChordQuality][static_cast<int>(ChordQuality::kOther)], 2);
  EXPECT_EQ(bin_value(Feature::kIntervalAlto, 0), -12);
  EXPECT_EQ(bin_value(Feature::kNoteLength, 0), 1);
}

TEST(Distributions, IntervalsAndLengthsAreClipped) {
  auto score = make_score({{{60, 20}, {84, 4}, {55, 4}}});
  Features f = piece_features(score);
  EXPECT_EQ(f[Feature::kIntervalSoprano][24], 1);  // +24 clipped to +12
  EXPECT_EQ(f[Feature::kIntervalSoprano][0], 1);   // -29 clipped to -12
  EXPECT_EQ(f[Feature::kNoteLength][15], 1);       // 20 ticks clipped to 16
}

TEST(Distributions, SpreadOf) {
  Spread s = spread_of({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NAN});
  EXPECT_DOUBLE_EQ(s.mean, 5.5);
  EXPECT_NEAR(s.p90, 9.1, 1e-12);
  EXPECT_TRUE(std::isnan(spread_of({}).mean));
}

TEST(Distributions, LeaveOneOut) {
  auto a = piece_features(make_score({{{60, 4}, {62, 4}}}));
  auto b = piece_features(make_score({{{62, 4}, {64, 4}}}));
  std::vector<FeatureDistances> same = leave_one_out_distances({a, a, a});
  ASSERT_EQ(same.size(), 3u);
  EXPECT_DOUBLE_EQ(same[1][static_cast<int>(Feature::kPitchClass)], 0.0);
  std::vector<FeatureDistances> mixed = leave_one_out_distances({a, b});
  // C, D against D, E: each note moves by 2 semitones.
  EXPECT_DOUBLE_EQ(mixed[0][static_cast<int>(Feature::kPitchClass)], 2.0);
  EXPECT_THROW(leave_one_out_distances({a}), Error);
}

}  // namespace
}  // namespace dq::eval
