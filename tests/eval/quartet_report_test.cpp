#include "eval/quartet_report.h"

#include <gtest/gtest.h>

#include "score_maker.h"

namespace dq::eval {
namespace {

using testing::make_score;
using testing::N;

TEST(QuartetTexture, RestsMeanPitchAndSixteenthsPerInstrument) {
  // 16 ticks: violin I four 16ths and a dotted half; violin II rests half the
  // time; viola one whole note; cello two halves.
  music::Score s =
      make_score({{{76, 1}, {77, 1}, {79, 1}, {81, 1}, {72, 12}}, {{-1, 8}, {67, 8}}, {{60, 16}}, {{48, 8}, {43, 8}}});
  FeatureVector f;
  add_quartet_texture_features(s, f);
  ASSERT_EQ(f.names.size(), 12u);
  EXPECT_EQ(f.names[0], "violin I: rests (of ticks)");
  EXPECT_EQ(f.names[1], "violin I: mean pitch (MIDI)");
  EXPECT_EQ(f.names[2], "violin I: notes of a 16th");
  EXPECT_EQ(f.names[9], "cello: rests (of ticks)");
  EXPECT_DOUBLE_EQ(f.values[0], 0.0);
  EXPECT_DOUBLE_EQ(f.values[1], (76 + 77 + 79 + 81 + 72) / 5.0);
  EXPECT_DOUBLE_EQ(f.values[2], 4.0 / 5.0);
  EXPECT_DOUBLE_EQ(f.values[3], 0.5);  // violin II rests
  EXPECT_DOUBLE_EQ(f.values[4], 67.0);
  EXPECT_DOUBLE_EQ(f.values[8], 0.0);  // viola: no 16ths
  EXPECT_DOUBLE_EQ(f.values[10], (48 + 43) / 2.0);
}

}  // namespace
}  // namespace dq::eval
