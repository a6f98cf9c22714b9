#include "eval/piece_features.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "score_maker.h"

namespace dq::eval {
namespace {

using testing::make_score;
using testing::N;
using testing::set_fermata;

const music::KeySignature kCMajor{0, music::Mode::kMajor};

// The value of the feature called `name`; fails the test if there is none.
double feature(const FeatureVector& f, const std::string& name) {
  for (size_t i = 0; i < f.names.size(); ++i) {
    if (f.names[i] == name) return f.values[i];
  }
  ADD_FAILURE() << "no feature named \"" << name << "\"";
  return -1;
}

// I IV V I in C major in quarter notes, all in root position.
music::Score cadence_bar() {
  return make_score({{{72, 4}, {72, 4}, {71, 4}, {72, 4}},
                     {{64, 4}, {65, 4}, {62, 4}, {64, 4}},
                     {{55, 4}, {57, 4}, {55, 4}, {55, 4}},
                     {{48, 4}, {53, 4}, {43, 4}, {48, 4}}});
}

TEST(PieceFeatures, NamedUniquelyAndSameForEveryPiece) {
  FeatureVector a = piece_feature_vector(cadence_bar(), kCMajor);
  FeatureVector b =
      piece_feature_vector(make_score({{{67, 8}}, {{64, 8}}, {{60, 8}}, {{48, 8}}}), {1, music::Mode::kMinor});
  EXPECT_EQ(a.names.size(), 104u);
  EXPECT_EQ(a.values.size(), a.names.size());
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(std::set<std::string>(a.names.begin(), a.names.end()).size(), a.names.size());
}

TEST(PieceFeatures, PitchClassesAgainstTheTonic) {
  // Every note a G: the tonic of G major, the fifth of C major.
  music::Score score = make_score({{{67, 4}}, {{67, 4}}, {{55, 4}}, {{43, 4}}});
  EXPECT_DOUBLE_EQ(feature(piece_feature_vector(score, {1, music::Mode::kMajor}), "notes on the tonic"), 1.0);
  FeatureVector in_c = piece_feature_vector(score, kCMajor);
  EXPECT_DOUBLE_EQ(feature(in_c, "notes on the tonic"), 0.0);
  EXPECT_DOUBLE_EQ(feature(in_c, "notes a 5th above the tonic"), 1.0);
  EXPECT_DOUBLE_EQ(feature(in_c, "notes outside the key's scale"), 0.0);
  // F# is outside C major but inside E minor (its 2nd degree).
  music::Score sharp = make_score({{{66, 4}, {67, 4}}, {{62, 8}}, {{59, 8}}, {{47, 8}}});
  EXPECT_DOUBLE_EQ(feature(piece_feature_vector(sharp, kCMajor), "notes outside the key's scale"), 0.2);
  EXPECT_DOUBLE_EQ(feature(piece_feature_vector(sharp, {1, music::Mode::kMinor}), "notes outside the key's scale"),
                   0.0);
}

TEST(PieceFeatures, MelodicIntervalsPerVoice) {
  // Soprano C5 D5 C5 C5 G5 (rest between the last two skipped): step up,
  // step down, repeat, fifth.
  music::Score score =
      make_score({{{72, 2}, {74, 2}, {72, 2}, {72, 2}, {-1, 4}, {79, 4}}, {{64, 16}}, {{55, 16}}, {{48, 16}}});
  FeatureVector f = piece_feature_vector(score, kCMajor);
  EXPECT_DOUBLE_EQ(feature(f, "soprano: steps up"), 0.25);
  EXPECT_DOUBLE_EQ(feature(f, "soprano: steps down"), 0.25);
  EXPECT_DOUBLE_EQ(feature(f, "soprano: repeated notes"), 0.25);
  EXPECT_DOUBLE_EQ(feature(f, "soprano: fifths"), 0.25);
  EXPECT_DOUBLE_EQ(feature(f, "soprano: thirds up"), 0.0);
  EXPECT_DOUBLE_EQ(feature(f, "alto: repeated notes"), 0.0);  // no moves at all
}

TEST(PieceFeatures, IntervalBucketsBothWays) {
  // Bass C3 F3 C3 B3 C2: fourth up, fourth down, seventh, octave and more.
  music::Score score = make_score({{{72, 20}}, {{64, 20}}, {{55, 20}}, {{48, 4}, {53, 4}, {48, 4}, {59, 4}, {36, 4}}});
  FeatureVector f = piece_feature_vector(score, kCMajor);
  EXPECT_DOUBLE_EQ(feature(f, "bass: fourths up"), 0.25);
  EXPECT_DOUBLE_EQ(feature(f, "bass: fourths down"), 0.25);
  EXPECT_DOUBLE_EQ(feature(f, "bass: sixths and sevenths"), 0.25);
  EXPECT_DOUBLE_EQ(feature(f, "bass: octaves and wider"), 0.25);
}

TEST(PieceFeatures, NoteLengthsAndRests) {
  // Soprano: 16th, 8th, dotted 8th, dotted quarter, rest of 6; others whole notes + 2.
  music::Score score = make_score({{{72, 1}, {74, 2}, {76, 3}, {77, 6}, {-1, 6}}, {{64, 18}}, {{55, 18}}, {{48, 18}}});
  FeatureVector f = piece_feature_vector(score, kCMajor);
  EXPECT_DOUBLE_EQ(feature(f, "notes of a 16th"), 1.0 / 7);
  EXPECT_DOUBLE_EQ(feature(f, "notes of an 8th"), 1.0 / 7);
  EXPECT_DOUBLE_EQ(feature(f, "notes of a dotted 8th"), 1.0 / 7);
  EXPECT_DOUBLE_EQ(feature(f, "notes of 5-6 ticks (dotted quarter)"), 1.0 / 7);
  EXPECT_DOUBLE_EQ(feature(f, "notes of more than a half"), 3.0 / 7);
  EXPECT_DOUBLE_EQ(feature(f, "soprano: notes of an eighth or shorter"), 0.5);
  EXPECT_DOUBLE_EQ(feature(f, "bass: notes of an eighth or shorter"), 0.0);
  EXPECT_DOUBLE_EQ(feature(f, "rests (of voice-ticks)"), 6.0 / (4 * 18));
}

TEST(PieceFeatures, HarmonyCadencesAndFinalChord) {
  music::Score score = cadence_bar();
  set_fermata(score, 12, 16);
  FeatureVector f = piece_feature_vector(score, kCMajor);
  EXPECT_DOUBLE_EQ(feature(f, "beat chords: major"), 1.0);
  EXPECT_DOUBLE_EQ(feature(f, "beat chords: triads in root position"), 1.0);
  EXPECT_DOUBLE_EQ(feature(f, "chord changes per bar"), 3.0);
  EXPECT_DOUBLE_EQ(feature(f, "root motion: falling fifth"), 2.0 / 3);
  EXPECT_DOUBLE_EQ(feature(f, "root motion: step up"), 1.0 / 3);
  EXPECT_DOUBLE_EQ(feature(f, "fermatas: authentic cadence"), 1.0);
  EXPECT_DOUBLE_EQ(feature(f, "fermatas: half cadence"), 0.0);
  EXPECT_DOUBLE_EQ(feature(f, "final chord: tonic"), 1.0);
  EXPECT_DOUBLE_EQ(feature(f, "final chord: dominant"), 0.0);
  // Read in G major, the same bar ends on IV: neither tonic nor dominant.
  FeatureVector in_g = piece_feature_vector(score, {1, music::Mode::kMajor});
  EXPECT_DOUBLE_EQ(feature(in_g, "final chord: other"), 1.0);
}

TEST(PieceFeatures, VoiceLeadingRatesPerNote) {
  // Soprano C5-D5 over bass F3-G3: one parallel fifth, 7 notes.
  music::Score score = make_score({{{72, 4}, {74, 8}}, {{64, 8}, {65, 4}}, {{60, 12}}, {{53, 4}, {55, 8}}});
  FeatureVector f = piece_feature_vector(score, kCMajor);
  EXPECT_DOUBLE_EQ(feature(f, "parallel fifths per note"), 1.0 / 7);
  EXPECT_DOUBLE_EQ(feature(f, "parallel octaves/unisons per note"), 0.0);
}

TEST(PieceFeatures, RatesDoNotGrowWithLength) {
  // The same bar four times over: rates stay as they are.
  std::vector<std::vector<N>> voices(4);
  const std::vector<std::vector<N>> bar = {{{72, 4}, {74, 4}, {76, 4}, {74, 4}}, {{64, 16}}, {{55, 16}}, {{48, 16}}};
  for (int repeat = 0; repeat < 4; ++repeat) {
    for (int v = 0; v < 4; ++v) voices[v].insert(voices[v].end(), bar[v].begin(), bar[v].end());
  }
  FeatureVector once = piece_feature_vector(make_score(bar), kCMajor);
  FeatureVector four = piece_feature_vector(make_score(voices), kCMajor);
  EXPECT_DOUBLE_EQ(feature(once, "notes of a quarter"), feature(four, "notes of a quarter"));
  EXPECT_DOUBLE_EQ(feature(once, "chord changes per bar"), 0.0);
  EXPECT_DOUBLE_EQ(feature(four, "chord changes per bar"), 0.0);
  EXPECT_NEAR(feature(once, "notes on the tonic"), feature(four, "notes on the tonic"), 0.01);
}

}  // namespace
}  // namespace dq::eval
