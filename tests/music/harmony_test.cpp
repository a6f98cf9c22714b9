// music/harmony: the mode a key signature leaves open, read from the final
// chord as an organist would.
#include <gtest/gtest.h>

#include "music/harmony.h"
#include "music/score.h"

namespace {

using namespace dq::music;

// Chords of a quarter each, voices top to bottom (-1: rest).
Score chords(KeySignature key, const std::vector<std::array<int, kNumVoices>>& slices) {
  Score s = make_empty_score(static_cast<int>(slices.size()) * 4, key, {4, 4});
  for (size_t c = 0; c < slices.size(); ++c)
    for (int v = 0; v < kNumVoices; ++v) {
      const int start = static_cast<int>(c) * 4;
      s.voices[v][start] = slices[c][v] < 0 ? kRest : slices[c][v];
      for (int t = 1; t < 4; ++t) s.voices[v][start + t] = slices[c][v] < 0 ? kRest : kHold;
    }
  return s;
}

const KeySignature kNoFlats{0, Mode::kUnknown};

TEST(InferMode, FinalBassOnTheMajorOrMinorTonic) {
  EXPECT_EQ(infer_mode(chords(kNoFlats, {{71, 67, 62, 43}, {72, 67, 64, 48}}), 0), Mode::kMajor);  // G - C
  EXPECT_EQ(infer_mode(chords(kNoFlats, {{71, 68, 64, 52}, {72, 69, 64, 45}}), 0), Mode::kMinor);  // E - Am
  // A Picardy third keeps the minor mode: the bass is on A.
  EXPECT_EQ(infer_mode(chords(kNoFlats, {{71, 68, 64, 52}, {73, 69, 64, 45}}), 0), Mode::kMinor);
}

TEST(InferMode, EndingsOnTheDominant) {
  // A half close on G in C major; a Phrygian close on E (the dominant of A minor).
  EXPECT_EQ(infer_mode(chords(kNoFlats, {{72, 67, 64, 48}, {71, 67, 62, 43}}), 0), Mode::kMajor);
  EXPECT_EQ(infer_mode(chords(kNoFlats, {{69, 65, 62, 50}, {68, 64, 59, 52}}), 0), Mode::kMinor);
  // In two flats: G minor's dominant is D.
  EXPECT_EQ(infer_mode(chords({-2, Mode::kUnknown}, {{70, 67, 62, 43}, {69, 66, 62, 50}}), -2), Mode::kMinor);
}

TEST(InferMode, TrailingRestsAndSilence) {
  // The final chord is the last one that sounds, even with every voice resting after it.
  EXPECT_EQ(infer_mode(chords(kNoFlats, {{72, 69, 64, 45}, {-1, -1, -1, -1}}), 0), Mode::kMinor);
  EXPECT_EQ(infer_mode(chords(kNoFlats, {{-1, -1, -1, -1}}), 0), Mode::kUnknown);
}

TEST(HomeKey, KeepsAWrittenModeAndInfersAMissingOne) {
  EXPECT_EQ(home_key(chords({0, Mode::kMajor}, {{72, 69, 64, 45}})).mode, Mode::kMajor);
  EXPECT_EQ(home_key(chords(kNoFlats, {{72, 69, 64, 45}})).mode, Mode::kMinor);
  EXPECT_EQ(home_key(chords(kNoFlats, {{-1, -1, -1, -1}})).mode, Mode::kMajor);
}

}  // namespace
