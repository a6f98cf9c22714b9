#include "eval/copying.h"

#include <gtest/gtest.h>

#include "score_maker.h"

namespace dq::eval {
namespace {

using testing::make_score;
using testing::N;

// A 12-note phrase starting on `first`, lengths 4 and 8 alternating.
std::vector<N> phrase(int first) {
  const int steps[] = {0, 2, 2, 1, 2, -5, 3, -1, -2, 4, -7, 5};
  std::vector<N> notes;
  int pitch = first;
  for (int i = 0; i < 12; ++i) {
    pitch += steps[i];
    notes.push_back({pitch, i % 2 ? 8 : 4});
  }
  return notes;
}

// `count` notes of `ticks` ticks each, wandering around `pitch`.
std::vector<N> filler(int pitch, int count, int ticks) {
  std::vector<N> notes;
  for (int i = 0; i < count; ++i) notes.push_back({pitch + (i * 5) % 7, ticks});
  return notes;
}

std::vector<N> join(std::vector<N> a, const std::vector<N>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Copying, FindsPlantedTransposedSequence) {
  // Training: 10 notes of 2 ticks, the phrase on C5, 10 more of 2 ticks.
  auto training = make_score({join(join(filler(70, 10, 2), phrase(72)), filler(70, 10, 2))});
  // Generated: 5 notes of 3 ticks, the phrase a minor third lower, 5 more.
  auto generated = make_score({join(join(filler(60, 5, 3), phrase(69)), filler(60, 5, 3))});
  CopyMatch m = longest_shared_run(generated, training, 0);
  EXPECT_EQ(m.length, 12);
  EXPECT_EQ(m.start_tick, 15);
  EXPECT_EQ(m.other_start_tick, 20);
  EXPECT_EQ(longest_shared_run(generated, training, 1).length, 0);  // silent voices
}

TEST(Copying, ABrokenIntervalSplitsTheMatch) {
  auto training = make_score({phrase(72)});
  std::vector<N> changed = phrase(72);
  changed[6].pitch += 1;  // notes 0..5 match, then 7..11 (interval 6->7 differs too)
  auto generated = make_score({changed});
  EXPECT_EQ(longest_shared_run(generated, training, 0).length, 6);
}

TEST(Copying, FindCopiesPicksTheTrainingPiece) {
  std::vector<music::Score> training = {make_score({filler(60, 20, 4)}),
                                        make_score({{}, join(filler(50, 3, 2), phrase(60))})};
  std::vector<music::Score> generated = {make_score({phrase(72), phrase(64)})};
  std::vector<VoiceCopies> copies = find_copies(generated, training);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_EQ(copies[0][1].length, 12);  // the alto, found in the alto of piece 1
  EXPECT_EQ(copies[0][1].other_piece, 1);
  EXPECT_EQ(copies[0][1].other_start_tick, 6);
  EXPECT_LT(copies[0][0].length, 12);  // the soprano phrase is only in an alto
  EXPECT_EQ(copies[0][3].length, 0);
  EXPECT_EQ(copies[0][3].other_piece, -1);
}

}  // namespace
}  // namespace dq::eval
