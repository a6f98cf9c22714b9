#include <gtest/gtest.h>

#include <numeric>

#include "music/pitch.h"
#include "music/range.h"
#include "music/score.h"
#include "music/score_builder.h"
#include "music/transpose.h"
#include "util/error.h"

using namespace dq;
using namespace dq::music;

namespace {

NoteEvent note(int part, Rational onset, Rational duration, int pitch) {
  return {part, /*layer=*/0, onset, duration, pitch};
}

// One bar of 4/4 in four parts: whole notes C5, G4, E4, C3.
ScoreBuilder one_bar() {
  ScoreBuilder b("test.xml");
  int pitches[4] = {72, 67, 64, 48};
  for (int p = 0; p < 4; ++p) b.add(note(p, 0, 4, pitches[p]));
  b.set_time(0, {4, 4});
  return b;
}

}  // namespace

TEST(Score, ValidateCatchesHoldAfterRest) {
  Score s = make_empty_score(8, {}, {4, 4});
  EXPECT_EQ(validate(s), "");
  s.voices[2][3] = kHold;
  EXPECT_NE(validate(s).find("voice 3 tick 3"), std::string::npos);
  s.voices[2][3] = 60;
  s.voices[1].pop_back();
  EXPECT_NE(validate(s), "");
}

TEST(Score, VoiceNotesAndBars) {
  Score s = make_empty_score(32, {}, {3, 4});
  s.voices[0][0] = 60;
  s.voices[0][1] = kHold;
  s.voices[0][5] = 62;
  auto notes = voice_notes(s, 0);
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].length, 2);
  EXPECT_EQ(notes[1].start, 5);
  EXPECT_EQ(s.bar_count(), 3);  // 32 ticks of 3/4 (12 ticks per bar)
  EXPECT_EQ(s.meta[12].tick_in_bar, 0);
  EXPECT_EQ(s.meta[12].measure, 2);
}

TEST(Score, TimeSignatureBeats) {
  EXPECT_EQ((TimeSignature{4, 4}).ticks_per_bar(), 16);
  EXPECT_EQ((TimeSignature{3, 2}).ticks_per_bar(), 24);
  EXPECT_EQ((TimeSignature{6, 8}).ticks_per_beat(), 6);
  EXPECT_EQ((TimeSignature{3, 8}).ticks_per_beat(), 2);
}

TEST(Pitch, SpellingFollowsKey) {
  SpelledPitch fs = spell(66, 2);  // F#4 in D major
  EXPECT_EQ(fs.step, 'F');
  EXPECT_EQ(fs.alter, 1);
  EXPECT_EQ(fs.octave, 4);
  SpelledPitch bb = spell(70, -1);  // Bb4 in F major
  EXPECT_EQ(bb.step, 'B');
  EXPECT_EQ(bb.alter, -1);
  SpelledPitch c = spell(60, 0);
  EXPECT_EQ(c.step, 'C');
  EXPECT_EQ(c.octave, 4);
  SpelledPitch b_sharp = spell(72, 7);  // C5 in C# major is B#4
  EXPECT_EQ(b_sharp.step, 'B');
  EXPECT_EQ(b_sharp.octave, 4);
  EXPECT_EQ(midi_of('B', 1, 4), 72);
  EXPECT_EQ(pitch_name(61), "C#4");
  EXPECT_EQ(key_name({2, Mode::kMajor}), "D major");
  EXPECT_EQ(key_name({-3, Mode::kMinor}), "C minor");
}

TEST(Transpose, MovesPitchesAndKey) {
  Score s = one_bar().build();
  s.meta[0].key = {0, Mode::kMajor};
  Score up = transpose(s, 2);
  EXPECT_EQ(up.voices[0][0], 74);
  EXPECT_EQ(up.voices[0][1], kHold);
  EXPECT_EQ(up.meta[0].key.fifths, 2);
  EXPECT_EQ(transpose_key({0, Mode::kMajor}, 1).fifths, -5);  // Db major
  EXPECT_EQ(transpose_key({0, Mode::kMajor}, 6).fifths, 6);   // F# major
  EXPECT_EQ(transpose(up, -2).voices, s.voices);
}

TEST(Range, TranspositionsWithin) {
  Score s = one_bar().build();
  VoiceRanges used = score_ranges(s);
  EXPECT_EQ(used[0].low, 72);
  VoiceRanges allowed;
  for (auto& r : allowed) r = {40, 74};
  allowed[3] = {46, 60};
  auto shifts = transpositions_within(used, allowed, 6);
  ASSERT_FALSE(shifts.empty());
  EXPECT_EQ(shifts.front(), -2);  // bass C3 (48) may go down to 46
  EXPECT_EQ(shifts.back(), 2);    // soprano C5 (72) may go up to 74
}

TEST(Range, BalancedTranspositionsComeInPairs) {
  EXPECT_EQ(balanced_transpositions({-2, -1, 0, 1, 2, 3, 4}), (std::vector<int>{-2, -1, 0, 1, 2}));
  EXPECT_EQ(balanced_transpositions({-6, -5, -4, 0, 1}), std::vector<int>{0});  // -1 does not fit
  EXPECT_EQ(balanced_transpositions({0, 1, 2, 3}), std::vector<int>{0});        // at the bottom of a range: only 0
  EXPECT_TRUE(balanced_transpositions({1, 2}).empty());                         // no shift at all keeps it
  // Every balanced set averages to no shift: the register of the piece.
  for (const std::vector<int>& fits : {std::vector<int>{-3, -2, -1, 0, 1}, std::vector<int>{-1, 0, 1, 2, 3, 4, 5, 6}}) {
    const std::vector<int> kept = balanced_transpositions(fits);
    EXPECT_EQ(std::accumulate(kept.begin(), kept.end(), 0), 0);
  }
}

TEST(ScoreBuilder, BuildsTokensAndHolds) {
  Score s = one_bar().build();
  ASSERT_EQ(s.length(), 16);
  EXPECT_EQ(s.voices[0][0], 72);
  for (int t = 1; t < 16; ++t) EXPECT_EQ(s.voices[0][t], kHold);
  EXPECT_EQ(s.voices[3][0], 48);
  EXPECT_EQ(s.quantization.total_changed(), 0);
  EXPECT_EQ(s.part_names[0], "Soprano");
}

TEST(ScoreBuilder, QuantizesTripletsAndCountsChanges) {
  ScoreBuilder b = one_bar();
  // A triplet of eighths in part 0 over beat 1 replaces nothing: it is a
  // second layer, which is dropped.
  NoteEvent t = note(0, Rational(1, 3), Rational(1, 3), 74);
  t.layer = 1;
  b.add(t);
  // A 32nd note that rounds to nothing, then a triplet eighth in the bass.
  b.add(note(3, 4, Rational(1, 8), 50));
  b.add(note(3, 4 + Rational(1, 8), Rational(1, 3), 52));
  Score s = b.build();
  EXPECT_EQ(s.quantization.notes_dropped_layer, 1);
  EXPECT_GE(s.quantization.onsets_moved, 2);
  EXPECT_EQ(validate(s), "");
}

TEST(ScoreBuilder, MergesTiesAndPicksChordNotes) {
  ScoreBuilder b("t.xml");
  b.add(note(0, 0, 2, 72));
  NoteEvent tied = note(0, 2, 2, 72);
  tied.tie_from_previous = true;
  b.add(tied);
  for (int p = 1; p < 4; ++p) b.add(note(p, 0, 4, 60 - 5 * p));
  b.add(note(3, 0, 4, 36));  // chord in the bass: the lowest note wins
  b.add(note(1, 0, 4, 62));  // chord in the alto: the highest note wins
  Score s = b.build();
  EXPECT_EQ(s.voices[0][8], kHold);
  EXPECT_EQ(s.voices[3][0], 36);
  EXPECT_EQ(s.voices[1][0], 62);
  EXPECT_EQ(s.quantization.notes_dropped_chord, 2);
}

TEST(ScoreBuilder, PickupAndFermata) {
  ScoreBuilder b("t.krn");
  // Pickup of one quarter, then a full 4/4 bar whose last note has a fermata.
  for (int p = 0; p < 4; ++p) {
    b.add(note(p, 0, 1, 60 + p));
    b.add(note(p, 1, 3, 60 + p));
    NoteEvent f = note(p, 4, 1, 62 + p);
    f.fermata = p == 2;  // written on the tenor only
    b.add(f);
  }
  b.set_time(0, {4, 4});
  b.add_measure(0, 0);
  b.add_measure(1, 1);
  Score s = b.build();
  EXPECT_EQ(s.meta[0].tick_in_bar, 12);
  EXPECT_EQ(s.meta[0].measure, 0);
  EXPECT_EQ(s.meta[4].tick_in_bar, 0);
  EXPECT_EQ(s.pickup_ticks(), 4);
  EXPECT_FALSE(s.meta[15].fermata);
  EXPECT_TRUE(s.meta[16].fermata);
  EXPECT_TRUE(s.meta[19].fermata);
}

TEST(ScoreBuilder, ErrorsAreClear) {
  ScoreBuilder empty("empty.mid");
  EXPECT_THROW(empty.build(), Error);
  ScoreBuilder five("five.xml");
  for (int p = 0; p < 5; ++p) five.add(note(p, 0, 4, 60 + p));
  try {
    five.build();
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("five.xml: 5 parts"), std::string::npos);
  }
  five.select_parts({0, 1, 2, 4});
  EXPECT_EQ(five.build().voices[3][0], 64);
  ScoreBuilder neg("neg.xml");
  EXPECT_THROW(neg.add(note(0, 0, -1, 60)), Error);
}
