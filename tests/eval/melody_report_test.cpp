// The melody report's own measures on hand-made scores: where chord changes
// fall against the beat, and lower voices attacking under a melody rest.
#include "eval/melody_report.h"

#include <gtest/gtest.h>

#include "score_maker.h"

namespace dq::eval {
namespace {

using testing::make_score;

TEST(MelodyReport, ChordChangesOnAndOffTheBeat) {
  // 4/4, quarters: C (beat 1), F (beat 2), then G arrives an eighth late
  // (off the beat), then C on beat 4.
  music::Score score = make_score({{{72, 4}, {72, 4}, {72, 2}, {71, 2}, {72, 4}},
                                   {{64, 4}, {65, 4}, {65, 2}, {62, 2}, {64, 4}},
                                   {{55, 4}, {57, 4}, {57, 2}, {55, 2}, {55, 4}},
                                   {{48, 4}, {53, 4}, {53, 2}, {43, 2}, {48, 4}}});
  HarmonicRhythm r = harmonic_rhythm(score);
  EXPECT_EQ(r.on_beat, 2);   // C -> F, G -> C
  EXPECT_EQ(r.off_beat, 1);  // F -> G on the second eighth of beat 3
  EXPECT_NEAR(r.on_beat_fraction(), 2.0 / 3.0, 1e-12);
  HarmonicRhythm sum = r;
  sum += r;
  EXPECT_EQ(sum.on_beat, 4);
  EXPECT_EQ(HarmonicRhythm{}.on_beat_fraction(), 0.0);
}

TEST(MelodyReport, TheBeatOfASixEightBarIsADottedQuarter) {
  // 6/8: a chord on every eighth of the first beat changes off the beat;
  // the change to the second dotted quarter is on it.
  music::Score score = make_score({{{72, 2}, {72, 2}, {72, 2}, {71, 6}},
                                   {{64, 2}, {65, 2}, {64, 2}, {62, 6}},
                                   {{55, 2}, {57, 2}, {55, 2}, {55, 6}},
                                   {{48, 2}, {53, 2}, {48, 2}, {43, 6}}});
  for (auto& m : score.meta) m.time = {6, 8};
  music::renumber_measures(score, 0);
  HarmonicRhythm r = harmonic_rhythm(score);
  EXPECT_EQ(r.off_beat, 2);  // C -> F -> C inside the first beat
  EXPECT_EQ(r.on_beat, 1);   // C -> G on the second beat
}

TEST(MelodyReport, AttacksUnderMelodyRests) {
  // The soprano rests in beat 2: the alto holds (fine), the tenor attacks,
  // the bass rests.
  music::Score score = make_score(
      {{{72, 4}, {-1, 4}, {72, 4}}, {{64, 8}, {64, 4}}, {{55, 4}, {57, 4}, {55, 4}}, {{48, 4}, {-1, 4}, {48, 4}}});
  EXPECT_EQ(attacks_under_melody_rests(score), 1);
}

}  // namespace
}  // namespace dq::eval
