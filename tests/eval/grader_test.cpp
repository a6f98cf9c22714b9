#include "eval/grader.h"
#include "music/pitch.h"

#include <gtest/gtest.h>

#include "score_maker.h"

namespace dq::eval {
namespace {

using testing::make_score;
using testing::N;
using testing::set_fermata;

RuleCounts grade(const music::Score& score) { return count_rules(score, choir_ranges()); }

// Counts of every rule but `rule` are zero.
void expect_only(const RuleCounts& c, Rule rule, int count) {
  for (int r = 0; r < kNumRules; ++r) {
    EXPECT_EQ(c.violations[r], static_cast<Rule>(r) == rule ? count : 0) << rule_name(static_cast<Rule>(r));
  }
}

TEST(Grader, ParallelFifthCountedOnce) {
  // Soprano C5-D5 over bass F3-G3 (a twelfth, twice); alto moves later alone.
  auto score = make_score({{{72, 4}, {74, 8}}, {{64, 8}, {65, 4}}, {{60, 12}}, {{53, 4}, {55, 8}}});
  RuleCounts c = grade(score);
  expect_only(c, Rule::kParallelFifths, 1);
  EXPECT_EQ(c.notes, 7);
  EXPECT_EQ(c.bars, 1);
  EXPECT_EQ(c.bars_affected[static_cast<int>(Rule::kParallelFifths)], 1);
  EXPECT_DOUBLE_EQ(c.rate_per_note(Rule::kParallelFifths), 1.0 / 7);
}

TEST(Grader, ParallelFromFermataNotCounted) {
  auto score = make_score({{{72, 4}, {74, 4}}, {{64, 8}}, {{60, 8}}, {{53, 4}, {55, 4}}});
  set_fermata(score, 0, 4);
  expect_only(grade(score), Rule::kParallelFifths, 0);
}

TEST(Grader, ParallelOctave) {
  auto score = make_score({{{72, 4}, {74, 4}}, {{64, 8}}, {{55, 8}}, {{48, 4}, {50, 4}}});
  expect_only(grade(score), Rule::kParallelOctaves, 1);
}

TEST(Grader, ParallelUnisonCountsAsOctave) {
  auto score = make_score({{{67, 8}}, {{60, 4}, {62, 4}}, {{60, 4}, {62, 4}}, {{48, 8}}});
  RuleCounts c = grade(score);
  EXPECT_EQ(c.count(Rule::kParallelOctaves), 1);
  EXPECT_EQ(c.count(Rule::kParallelFifths), 0);
}

TEST(Grader, ContraryFifthsAreNotParallel) {
  // G4-D5 over C4-G3: fifth to twelfth in contrary motion.
  auto score = make_score({{{67, 4}, {74, 4}}, {{64, 8}}, {{62, 8}}, {{60, 4}, {55, 4}}});
  expect_only(grade(score), Rule::kContraryFifthsOctaves, 1);
}

TEST(Grader, HiddenOctaveInOuterVoices) {
  // Soprano leaps E5-C5 while the bass falls G3-C3 into a double octave.
  auto leap = make_score({{{76, 4}, {72, 4}}, {{64, 8}}, {{60, 8}}, {{55, 4}, {48, 4}}});
  expect_only(grade(leap), Rule::kHiddenFifthsOctaves, 1);
  // The same arrival with the soprano stepping D5-C5 is allowed.
  auto step = make_score({{{74, 4}, {72, 4}}, {{64, 8}}, {{60, 8}}, {{55, 4}, {48, 4}}});
  expect_only(grade(step), Rule::kHiddenFifthsOctaves, 0);
}

TEST(Grader, VoiceCrossing) {
  auto score = make_score({{{72, 4}, {72, 4}}, {{60, 4}, {65, 4}}, {{64, 4}, {60, 4}}, {{48, 8}}});
  RuleCounts c = grade(score);
  EXPECT_EQ(c.count(Rule::kVoiceCrossing), 1);  // the first slice only
  EXPECT_EQ(c.count(Rule::kSpacing), 0);
}

TEST(Grader, VoiceOverlap) {
  // The alto rises to A4, above the soprano's previous G4, without crossing it.
  auto score = make_score({{{67, 4}, {72, 4}}, {{64, 4}, {69, 4}}, {{60, 8}}, {{48, 8}}});
  expect_only(grade(score), Rule::kVoiceOverlap, 1);
}

TEST(Grader, Spacing) {
  // Soprano-alto a tenth apart (G5 over E4); tenor-bass wide apart is allowed.
  auto score = make_score({{{79, 4}}, {{64, 4}}, {{60, 4}}, {{40, 4}}});
  expect_only(grade(score), Rule::kSpacing, 1);
}

TEST(Grader, OutOfRange) {
  auto score = make_score({{{84, 4}, {72, 4}}, {{74, 8}}, {{64, 8}}, {{48, 4}, {36, 4}}});
  RuleCounts c = grade(score);
  EXPECT_EQ(c.count(Rule::kOutOfRange), 2);
  music::VoiceRanges wide;
  for (auto& r : wide) r = {0, 127};
  EXPECT_EQ(count_rules(score, wide).count(Rule::kOutOfRange), 0);
}

TEST(Grader, LeapLargerThanOctave) {
  // Octaves are allowed; C4 to D5 across a rest is a leap of 14 semitones.
  auto score = make_score({{{60, 4}, {72, 4}, {60, 4}, {-1, 4}, {74, 4}}});
  EXPECT_EQ(grade(score).count(Rule::kLargeLeap), 1);
}

TEST(Grader, LeadingToneResolvedAndUnresolved) {
  // B4-C5 resolves; B4 repeated then A4 does not.
  auto score = make_score({{{71, 4}, {72, 4}, {71, 4}, {71, 4}, {69, 4}}});
  RuleCounts c = grade(score);
  EXPECT_EQ(c.leading_tones, 2);
  EXPECT_EQ(c.count(Rule::kUnresolvedLeadingTone), 1);
}

TEST(Grader, LeadingToneInMinorIsRaisedSeventh) {
  // A minor: G#4-A4 resolves; G natural is no leading tone. Also in the bass.
  auto score =
      make_score({{{68, 4}, {69, 4}, {67, 4}, {65, 4}}, {}, {}, {{56, 4}, {57, 12}}}, {0, music::Mode::kMinor});
  RuleCounts c = grade(score);
  EXPECT_EQ(c.leading_tones, 2);
  EXPECT_EQ(c.count(Rule::kUnresolvedLeadingTone), 0);
}

TEST(Grader, LeadingToneUnderFermataNotChecked) {
  auto score = make_score({{{71, 4}, {69, 4}}});
  set_fermata(score, 0, 4);
  RuleCounts c = grade(score);
  EXPECT_EQ(c.leading_tones, 0);
  EXPECT_EQ(c.count(Rule::kUnresolvedLeadingTone), 0);
}

TEST(Grader, CadenceAtFermata) {
  // C major (I), G major (V), D minor (ii) under fermatas, a plain chord between each.
  auto score = make_score({{{72, 4}, {72, 4}, {71, 4}, {72, 4}, {74, 4}},
                           {{67, 4}, {65, 4}, {67, 4}, {65, 4}, {69, 4}},
                           {{64, 4}, {60, 4}, {62, 4}, {60, 4}, {65, 4}},
                           {{48, 4}, {53, 4}, {55, 4}, {53, 4}, {50, 4}}});
  set_fermata(score, 0, 4);
  set_fermata(score, 8, 12);
  set_fermata(score, 16, 20);
  RuleCounts c = grade(score);
  EXPECT_EQ(c.fermatas, 3);
  EXPECT_EQ(c.cadential_fermatas, 2);
  EXPECT_NEAR(c.noncadential_fraction(), 1.0 / 3, 1e-12);
}

TEST(Grader, CadenceOnRelativeMinor) {
  // A minor triad in C major (relative minor's tonic) is cadential; an
  // inverted C major triad (E in the bass) is not.
  auto score = make_score({{{72, 4}, {72, 4}, {72, 4}},
                           {{69, 4}, {67, 4}, {67, 4}},
                           {{64, 4}, {64, 4}, {60, 4}},
                           {{45, 4}, {48, 4}, {52, 4}}});
  set_fermata(score, 0, 4);
  set_fermata(score, 8, 12);
  RuleCounts c = grade(score);
  EXPECT_EQ(c.fermatas, 2);
  EXPECT_EQ(c.cadential_fermatas, 1);
}

TEST(Grader, BarsAffectedAndSums) {
  // Soprano and bass in fifths in bar 1, alto and tenor in bar 2.
  auto score = make_score(
      {{{72, 8}, {74, 24}}, {{64, 16}, {65, 8}, {67, 8}}, {{60, 16}, {58, 8}, {60, 8}}, {{53, 8}, {55, 24}}});
  RuleCounts c = grade(score);
  EXPECT_EQ(c.bars, 2);
  EXPECT_EQ(c.notes, 10);
  expect_only(c, Rule::kParallelFifths, 2);
  EXPECT_DOUBLE_EQ(c.bar_fraction(Rule::kParallelFifths), 1.0);
  RuleCounts sum = c;
  sum += c;
  EXPECT_EQ(sum.count(Rule::kParallelFifths), 4);
  EXPECT_EQ(sum.notes, 20);
  EXPECT_EQ(sum.bars, 4);
  EXPECT_DOUBLE_EQ(sum.rate_per_note(Rule::kParallelFifths), 0.2);
}

TEST(Grader, ChordSlicesAndTonic) {
  auto score = make_score({{{72, 8}}, {{64, 4}, {-1, 4}}, {}, {{48, 2}, {50, 6}}});
  std::vector<ChordSlice> slices = chord_slices(score);
  ASSERT_EQ(slices.size(), 2u);
  EXPECT_EQ(slices[1].tick, 2);
  EXPECT_EQ(slices[1].pitch[0], 72);
  EXPECT_FALSE(slices[1].onset[0]);
  EXPECT_TRUE(slices[1].onset[3]);
  EXPECT_EQ(slices[1].pitch[2], -1);
  EXPECT_EQ(music::tonic_pitch_class({2, music::Mode::kMajor}), 2);     // D major
  EXPECT_EQ(music::tonic_pitch_class({-3, music::Mode::kMinor}), 0);    // C minor
  EXPECT_EQ(music::tonic_pitch_class({-1, music::Mode::kUnknown}), 5);  // F (major assumed)
}

}  // namespace
}  // namespace dq::eval
