#include "music/excerpt.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace dq::music {
namespace {

// 3 bars of 4/4 with a pickup of one quarter; voice 0 holds a note across
// the first full bar line.
Score pickup_score() {
  Score s = make_empty_score(4 + 3 * 16, {1, Mode::kMajor}, {4, 4});
  renumber_measures(s, 4);
  s.voices[0][0] = 67;
  for (int t = 1; t < 8; ++t) s.voices[0][t] = kHold;
  s.voices[0][8] = 69;
  s.letters[0].assign(s.length(), kUnspelled);
  s.letters[0][0] = 4;  // G
  s.letters[0][8] = 5;  // A
  s.phrase_ends = {8, 20, 52};
  return s;
}

TEST(Excerpt, StrikesTheNoteSoundingIntoItAndKeepsItsLetter) {
  const Score s = pickup_score();
  const Score e = excerpt(s, 4, 20);
  ASSERT_EQ(e.length(), 16);
  EXPECT_EQ(e.voices[0][0], 67);
  EXPECT_EQ(e.voices[0][1], kHold);
  EXPECT_EQ(e.voices[0][4], 69);
  EXPECT_EQ(e.letters[0][0], 4);
  EXPECT_EQ(e.letters[0][4], 5);
  EXPECT_EQ(e.voices[1][0], kRest);
  EXPECT_EQ(e.phrase_ends, (std::vector<int>{4, 16}));
  EXPECT_EQ(validate(e), "");
}

TEST(Excerpt, NumbersBarsFromItsStart) {
  const Score s = pickup_score();
  const Score from_bar = excerpt(s, 20, 52);
  EXPECT_EQ(from_bar.meta[0].measure, 1);
  EXPECT_EQ(from_bar.meta[16].measure, 2);
  EXPECT_EQ(from_bar.pickup_ticks(), 0);
  const Score inside_bar = excerpt(s, 10, 30);
  EXPECT_EQ(inside_bar.meta[0].measure, 0);
  EXPECT_EQ(inside_bar.pickup_ticks(), 10);
  EXPECT_EQ(inside_bar.meta[10].measure, 1);
  EXPECT_EQ(validate(inside_bar), "");
}

TEST(Excerpt, RejectsSpansOutsideTheScore) {
  const Score s = pickup_score();
  EXPECT_THROW(excerpt(s, -1, 4), Error);
  EXPECT_THROW(excerpt(s, 4, 4), Error);
  EXPECT_THROW(excerpt(s, 0, s.length() + 1), Error);
}

TEST(Excerpt, OpeningCountsFullBarsAfterThePickup) {
  const Score s = pickup_score();
  EXPECT_EQ(end_of_opening(s, 1), 20);
  EXPECT_EQ(end_of_opening(s, 2), 36);
  EXPECT_EQ(end_of_opening(s, 3), s.length());
  EXPECT_EQ(end_of_opening(s, 10), s.length());
  const Score no_pickup = make_empty_score(48, {0, Mode::kMajor}, {3, 4});
  EXPECT_EQ(end_of_opening(no_pickup, 2), 24);
}

}  // namespace
}  // namespace dq::music
