#include "eval/tonal.h"

#include <gtest/gtest.h>

#include "score_maker.h"

namespace dq::eval {
namespace {

using testing::make_score;
using testing::set_fermata;

const music::KeySignature kCMajor{0, music::Mode::kMajor};

// I IV V I in C major without a parallel, the last chord under a fermata;
// the soprano's B4 is split into two eighths.
music::Score cadence_bar() {
  music::Score score = make_score({{{72, 4}, {72, 4}, {71, 2}, {71, 2}, {72, 4}},
                                   {{64, 4}, {65, 4}, {62, 4}, {64, 4}},
                                   {{55, 4}, {57, 4}, {55, 4}, {55, 4}},
                                   {{48, 4}, {53, 4}, {43, 4}, {48, 4}}});
  set_fermata(score, 12, 16);
  return score;
}

TEST(Tonal, CountsOfOnePiece) {
  TonalCounts c = tonal_counts(cadence_bar(), kCMajor);
  EXPECT_EQ(c.pieces, 1);
  EXPECT_EQ(c.first_on_tonic, 1);
  EXPECT_EQ(c.final_on_tonic, 1);
  EXPECT_EQ(c.key_found, 1);
  EXPECT_EQ(c.cadences[static_cast<int>(Cadence::kAuthentic)], 1);
  EXPECT_EQ(c.notes, 17);
  EXPECT_EQ(c.short_notes, 2);
  EXPECT_EQ(c.notes_outside_scale, 0);
  EXPECT_EQ(c.root_motions[static_cast<int>(RootMotion::kFallingFifth)], 2);
  EXPECT_DOUBLE_EQ(c.bars, 1.0);
  EXPECT_EQ(c.parallels, 0);
}

TEST(Tonal, KeyAskedForIsWhatCounts) {
  // The same C major bar asked for as G major: neither the final chord nor
  // the key found agree, and F natural is outside G major's scale.
  TonalCounts c = tonal_counts(cadence_bar(), {1, music::Mode::kMajor});
  EXPECT_EQ(c.first_on_tonic, 0);
  EXPECT_EQ(c.final_on_tonic, 0);
  EXPECT_EQ(c.key_found, 0);
  EXPECT_EQ(c.notes_outside_scale, 2);                              // the F of alto and bass
  EXPECT_EQ(c.cadences[static_cast<int>(Cadence::kAuthentic)], 1);  // a cadence on IV of G
}

TEST(Tonal, MeasuresOfASet) {
  TonalCounts set = tonal_counts(cadence_bar(), kCMajor);
  // A second piece: parallel fifths, a chromatic note, no cadence, ending on V.
  music::Score second =
      make_score({{{72, 4}, {74, 4}, {73, 4}, {74, 4}}, {{64, 8}, {67, 8}}, {{60, 8}, {59, 8}}, {{53, 4}, {55, 12}}});
  set += tonal_counts(second, kCMajor);
  TonalMeasures m = tonal_measures(set);
  EXPECT_EQ(m.pieces, 2);
  EXPECT_DOUBLE_EQ(m.first_on_tonic, 0.5);  // the second opens on F, E and C over F
  EXPECT_DOUBLE_EQ(m.final_on_tonic, 0.5);
  EXPECT_EQ(m.fermatas, 1);
  EXPECT_DOUBLE_EQ(m.cadences[static_cast<int>(Cadence::kAuthentic)], 1.0);
  EXPECT_DOUBLE_EQ(m.short_notes, 2.0 / 27);
  EXPECT_DOUBLE_EQ(m.outside_scale, 1.0 / 27);  // C#5
  EXPECT_DOUBLE_EQ(m.parallels_per_note, 1.0 / 27);
  // Three changes in the first bar, none in the second (one chord with a root).
  EXPECT_DOUBLE_EQ(m.changes_per_bar, 1.5);
  EXPECT_DOUBLE_EQ(m.falling_fifths, 2.0 / 3);
}

TEST(Tonal, EmptySetHasZeroMeasures) {
  TonalMeasures m = tonal_measures(TonalCounts{});
  EXPECT_EQ(m.pieces, 0);
  EXPECT_DOUBLE_EQ(m.final_on_tonic, 0.0);
  EXPECT_DOUBLE_EQ(m.short_notes, 0.0);
  EXPECT_DOUBLE_EQ(m.falling_fifths, 0.0);
}

}  // namespace
}  // namespace dq::eval
