// Melodic intervals: the buckets a harmony teacher names, and a voice's mix
// of them with rests skipped.
#include <gtest/gtest.h>

#include "music/melody.h"

using namespace dq;
using namespace dq::music;

TEST(Melody, IntervalBucketsNameWhatAMusicianHears) {
  EXPECT_EQ(interval_bucket(0), 0);   // repeated note
  EXPECT_EQ(interval_bucket(1), 1);   // minor second up
  EXPECT_EQ(interval_bucket(2), 1);   // major second up
  EXPECT_EQ(interval_bucket(-2), 2);  // step down
  EXPECT_EQ(interval_bucket(3), 3);   // minor third up
  EXPECT_EQ(interval_bucket(-4), 4);  // major third down
  EXPECT_EQ(interval_bucket(5), 5);   // fourth up
  EXPECT_EQ(interval_bucket(-5), 6);  // fourth down
  EXPECT_EQ(interval_bucket(6), 7);   // tritone, either way
  EXPECT_EQ(interval_bucket(-6), 7);
  EXPECT_EQ(interval_bucket(-7), 8);    // fifth, either way
  EXPECT_EQ(interval_bucket(9), 9);     // sixth
  EXPECT_EQ(interval_bucket(-11), 9);   // seventh
  EXPECT_EQ(interval_bucket(12), 10);   // octave
  EXPECT_EQ(interval_bucket(-19), 10);  // wider
  EXPECT_STREQ(kIntervalBucketNames[0], "repeated notes");
  EXPECT_STREQ(kIntervalBucketNames[kIntervalBuckets - 1], "octaves and wider");
}

TEST(Melody, IntervalMixCountsMovesAcrossRestsPerVoice) {
  // Soprano: C5 C5 D5 (rest) A4: a repeat, a step up, then a fourth down across the rest.
  Score s = make_empty_score(20, {}, {4, 4});
  const int soprano[] = {72,    kHold, kHold, kHold, 72,    kHold, kHold, kHold, 74,    kHold,
                         kRest, kRest, 69,    kHold, kHold, kHold, kRest, kRest, kRest, kRest};
  for (int t = 0; t < 20; ++t) s.voices[0][t] = soprano[t];
  // Alto: one held note, no move at all.
  s.voices[1][0] = 64;
  for (int t = 1; t < 20; ++t) s.voices[1][t] = kHold;
  const IntervalMix mix = interval_mix({s, s});
  EXPECT_DOUBLE_EQ(mix[0][0], 1.0 / 3);  // repeated
  EXPECT_DOUBLE_EQ(mix[0][1], 1.0 / 3);  // step up
  EXPECT_DOUBLE_EQ(mix[0][6], 1.0 / 3);  // fourth down
  double alto = 0;
  for (double share : mix[1]) alto += share;
  EXPECT_EQ(alto, 0.0);
}
