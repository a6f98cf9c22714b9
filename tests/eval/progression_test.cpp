#include "eval/progression.h"

#include <gtest/gtest.h>

#include "score_maker.h"
#include "util/error.h"

namespace dq::eval {
namespace {

using testing::make_score;
using testing::N;
using testing::set_fermata;

// Chords of C major as quarter notes, voiced soprano, alto, tenor, bass.
struct Chord {
  int s, a, t, b;
};
const Chord kI{72, 64, 55, 48};   // C5 E4 G3 C3
const Chord kI6{72, 67, 60, 52};  // C5 G4 C4 E3: first inversion
const Chord kIV{69, 60, 57, 53};  // A4 C4 A3 F3
const Chord kV{67, 62, 59, 43};   // G4 D4 B3 G2
const Chord kV7{65, 62, 59, 43};  // F4 D4 B3 G2
const Chord kVi{69, 64, 60, 45};  // A4 E4 C4 A2
const Chord kI7{70, 64, 55, 48};  // C5 with Bb: C7

// A score of one quarter-note chord per beat.
music::Score chords(const std::vector<Chord>& list, music::KeySignature key = {0, music::Mode::kMajor}) {
  std::vector<std::vector<N>> voices(4);
  for (const Chord& c : list) {
    voices[0].push_back({c.s, 4});
    voices[1].push_back({c.a, 4});
    voices[2].push_back({c.t, 4});
    voices[3].push_back({c.b, 4});
  }
  return make_score(voices, key);
}

// The cadence of a score whose last beat carries a fermata.
Cadence last_cadence(const std::vector<Chord>& list) {
  music::Score score = chords(list);
  set_fermata(score, score.length() - 4, score.length());
  Progression p = read_progression(score, {0, music::Mode::kMajor});
  EXPECT_EQ(p.fermatas(), 1);
  for (int c = 0; c < kNumCadences; ++c) {
    if (p.cadences[c] == 1) return static_cast<Cadence>(c);
  }
  return Cadence::kOther;
}

TEST(Progression, RootMotionByInterval) {
  EXPECT_EQ(root_motion(7, 0), RootMotion::kFallingFifth);  // G-C
  EXPECT_EQ(root_motion(0, 5), RootMotion::kFallingFifth);  // C-F
  EXPECT_EQ(root_motion(0, 7), RootMotion::kRisingFifth);
  EXPECT_EQ(root_motion(0, 2), RootMotion::kStepUp);
  EXPECT_EQ(root_motion(2, 0), RootMotion::kStepDown);
  EXPECT_EQ(root_motion(0, 4), RootMotion::kThirdUp);
  EXPECT_EQ(root_motion(0, 9), RootMotion::kThirdDown);
  EXPECT_EQ(root_motion(0, 6), RootMotion::kTritone);
  EXPECT_THROW(root_motion(3, 15), Error);
}

TEST(Progression, KeyScales) {
  const music::KeySignature c_major{0, music::Mode::kMajor};
  const music::KeySignature a_minor{0, music::Mode::kMinor};
  EXPECT_TRUE(in_key_scale(5, c_major));                    // F
  EXPECT_FALSE(in_key_scale(6, c_major));                   // F#
  EXPECT_TRUE(in_key_scale(8, a_minor));                    // G#: raised 7th
  EXPECT_TRUE(in_key_scale(6, a_minor));                    // F#: raised 6th
  EXPECT_TRUE(in_key_scale(7, a_minor));                    // G: natural 7th
  EXPECT_FALSE(in_key_scale(10, a_minor));                  // Bb
  EXPECT_TRUE(in_key_scale(1, {2, music::Mode::kMajor}));   // C# in D major
  EXPECT_FALSE(in_key_scale(0, {2, music::Mode::kMajor}));  // C in D major
}

TEST(Progression, ChangesAndRootMotion) {
  Progression p = read_progression(chords({kI, kIV, kV, kI}), {0, music::Mode::kMajor});
  ASSERT_EQ(p.beat_chords.size(), 4u);
  EXPECT_EQ(p.chord_changes(), 3);
  EXPECT_EQ(p.root_motions[static_cast<int>(RootMotion::kFallingFifth)], 2);  // I-IV, V-I
  EXPECT_EQ(p.root_motions[static_cast<int>(RootMotion::kStepUp)], 1);        // IV-V
  EXPECT_DOUBLE_EQ(p.bars, 1.0);
  EXPECT_EQ(p.final, FinalChord::kTonic);
  EXPECT_EQ(p.fermatas(), 0);
}

TEST(Progression, SeventhOverTheSameRootIsNoChange) {
  Progression p = read_progression(chords({kI, kI7, kIV, kIV}), {0, music::Mode::kMajor});
  EXPECT_EQ(p.chord_changes(), 1);
  EXPECT_EQ(p.beat_chords[1].name.quality, ChordQuality::kDominantSeventh);
}

TEST(Progression, BeatsWithARestAreNotRead) {
  music::Score score = make_score({{{72, 8}}, {{64, 8}}, {{55, 4}, {-1, 4}}, {{48, 8}}});
  Progression p = read_progression(score, {0, music::Mode::kMajor});
  EXPECT_EQ(p.beat_chords.size(), 1u);
}

TEST(Progression, Cadences) {
  EXPECT_EQ(last_cadence({kI, kIV, kV, kI}), Cadence::kAuthentic);
  EXPECT_EQ(last_cadence({kI, kIV, kV7, kI}), Cadence::kAuthentic);
  EXPECT_EQ(last_cadence({kI, kI, kIV, kV}), Cadence::kHalf);
  EXPECT_EQ(last_cadence({kI, kV, kIV, kI}), Cadence::kPlagal);
  EXPECT_EQ(last_cadence({kI, kIV, kV, kVi}), Cadence::kDeceptive);
  EXPECT_EQ(last_cadence({kI, kIV, kV, kI6}), Cadence::kOther);  // inverted tonic
}

TEST(Progression, CadenceLooksBackPastTheSameChord) {
  // V on beat 2, then the tonic on beats 3 and 4 with the fermata on 4.
  EXPECT_EQ(last_cadence({kIV, kV, kI, kI}), Cadence::kAuthentic);
}

TEST(Progression, AuthenticCadenceInARelatedKey) {
  // E major (V of A minor) to A minor in C major: a cadence on vi.
  const Chord e_major{68, 64, 59, 52};  // G#4 E4 B3 E3
  EXPECT_EQ(last_cadence({kI, kIV, e_major, kVi}), Cadence::kAuthentic);
}

TEST(Progression, CadenceOnARelatedKeysDominantIsHalf) {
  const Chord e_major{68, 64, 59, 52};  // V of vi
  const Chord a_major{69, 64, 61, 45};  // V of ii
  const Chord d_minor{69, 65, 62, 50};
  EXPECT_EQ(last_cadence({kI, kI, kVi, e_major}), Cadence::kHalf);
  EXPECT_EQ(last_cadence({kI, kI, d_minor, a_major}), Cadence::kHalf);
}

TEST(Progression, LeadingToneChordToTonicIsAuthentic) {
  const Chord vii6{74, 65, 59, 50};  // D5 F4 B3 D3: B diminished over D
  EXPECT_EQ(last_cadence({kI, kIV, vii6, kI}), Cadence::kAuthentic);
}

TEST(Progression, DominantOnTheLastEighthCounts) {
  // ii6 on beat 3, V on its second eighth, I under the fermata on beat 4.
  music::Score score = make_score({{{74, 4}, {74, 2}, {71, 2}, {72, 4}},
                                   {{65, 4}, {65, 2}, {62, 2}, {64, 4}},
                                   {{57, 4}, {57, 2}, {55, 2}, {55, 4}},
                                   {{53, 4}, {53, 2}, {43, 2}, {48, 4}}});
  set_fermata(score, 8, 12);
  Progression p = read_progression(score, {0, music::Mode::kMajor});
  EXPECT_EQ(p.cadences[static_cast<int>(Cadence::kAuthentic)], 1);
}

TEST(Progression, SuspensionUnderTheFermataIsReadResolved) {
  // V, then the tonic under the fermata with the soprano's D5 resolving to C5.
  music::Score score =
      make_score({{{71, 4}, {74, 2}, {72, 6}}, {{62, 4}, {64, 8}}, {{55, 4}, {55, 8}}, {{43, 4}, {48, 8}}});
  set_fermata(score, 4, 12);
  Progression p = read_progression(score, {0, music::Mode::kMajor});
  EXPECT_EQ(p.cadences[static_cast<int>(Cadence::kAuthentic)], 1);
}

TEST(Progression, ChordBeforeIsNotTakenFromAnEarlierFermata) {
  // A fermata on V, then I without one, then I under a second fermata.
  music::Score score = chords({kV, kI, kI});
  set_fermata(score, 0, 4);
  set_fermata(score, 8, 12);
  Progression p = read_progression(score, {0, music::Mode::kMajor});
  EXPECT_EQ(p.fermatas(), 2);
  EXPECT_EQ(p.cadences[static_cast<int>(Cadence::kHalf)], 1);
  EXPECT_EQ(p.cadences[static_cast<int>(Cadence::kOther)], 1);
}

TEST(Progression, FinalChords) {
  const music::KeySignature c_major{0, music::Mode::kMajor};
  const music::KeySignature a_minor{0, music::Mode::kMinor};
  EXPECT_EQ(final_chord(chords({kV, kI}), c_major), FinalChord::kTonic);
  EXPECT_EQ(final_chord(chords({kI, kV}), c_major), FinalChord::kDominant);
  EXPECT_EQ(final_chord(chords({kI, kVi}), c_major), FinalChord::kOther);
  EXPECT_EQ(final_chord(chords({kI, kI6}), c_major), FinalChord::kOther);
  // A major at the end of A minor: a Picardy third.
  const Chord a_major{69, 64, 61, 45};
  EXPECT_EQ(final_chord(chords({kVi, a_major}, a_minor), a_minor), FinalChord::kTonic);
  // An open fifth on the tonic, and a final chord followed by rests.
  EXPECT_EQ(final_chord(chords({kV, {67, 60, 55, 48}}), c_major), FinalChord::kTonic);
  music::Score ending = make_score({{{72, 4}, {-1, 4}}, {{64, 4}, {-1, 4}}, {{55, 4}, {-1, 4}}, {{48, 4}, {-1, 4}}});
  EXPECT_EQ(final_chord(ending, c_major), FinalChord::kTonic);
  music::Score silent = make_score({{{-1, 4}}, {{-1, 4}}, {{-1, 4}}, {{-1, 4}}});
  EXPECT_EQ(final_chord(silent, c_major), FinalChord::kOther);
}

TEST(Progression, BarsFollowTheMeter) {
  music::Score score = chords({kI, kIV, kV, kI, kI, kI});
  for (auto& m : score.meta) m.time = {3, 4};
  music::renumber_measures(score, 0);
  EXPECT_DOUBLE_EQ(read_progression(score, {0, music::Mode::kMajor}).bars, 2.0);
}

}  // namespace
}  // namespace dq::eval
