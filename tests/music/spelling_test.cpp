// Pitch spelling: the line of fifths, transposed letters and the rule that
// spells notes without a letter (music/spelling.h). Reading and writing
// letters, and the rule on Bach's chorales: tests/io/spelling_io_test.cpp.
#include <gtest/gtest.h>

#include "music/spelling.h"
#include "music/transpose.h"

using namespace dq::music;

namespace {

constexpr Letter C = 0, D = 1, E = 2, F = 3, G = 4, A = 5, B = 6;

// A score in `key` whose voices play `chords` (top voice first), a quarter each.
Score chords_in(KeySignature key, const std::vector<std::array<int, kNumVoices>>& chords) {
  Score s = make_empty_score(4 * static_cast<int>(chords.size()), key, {4, 4});
  for (size_t i = 0; i < chords.size(); ++i)
    for (int v = 0; v < kNumVoices; ++v) {
      const int t = 4 * static_cast<int>(i);
      s.voices[v][t] = chords[i][v];
      for (int k = 1; k < 4; ++k) s.voices[v][t + k] = kHold;
    }
  return s;
}

std::string name_of(const Score& s, const std::array<std::vector<Letter>, kNumVoices>& letters, int v, int t) {
  SpelledPitch p = spelled_as(s.voices[v][t], letters[v][t]);
  return std::string(1, p.step) + (p.alter > 0 ? std::string(p.alter, '#') : std::string(-p.alter, 'b')) +
         std::to_string(p.octave);
}

}  // namespace

TEST(Spelling, LineOfFifthsAndAlterations) {
  EXPECT_EQ(fifths_of(C, 0), 0);
  EXPECT_EQ(fifths_of(F, 1), 6);    // F#
  EXPECT_EQ(fifths_of(B, -1), -2);  // Bb
  EXPECT_EQ(alter_for(F, 66), 1);
  EXPECT_EQ(alter_for(G, 66), -1);
  EXPECT_EQ(alter_for(B, 60), 1);   // B#3 is MIDI 60
  EXPECT_EQ(alter_for(C, 59), -1);  // Cb4 is MIDI 59
  EXPECT_EQ(alter_for(F, 67), 2);   // F double sharp
  EXPECT_FALSE(alter_for(F, 68));   // three sharps: no
  EXPECT_FALSE(alter_for(kUnspelled, 60));
  SpelledPitch b_sharp = spelled_as(60, B);
  EXPECT_EQ(b_sharp.step, 'B');
  EXPECT_EQ(b_sharp.alter, 1);
  EXPECT_EQ(b_sharp.octave, 3);
  SpelledPitch c_flat = spelled_as(59, C);
  EXPECT_EQ(c_flat.step, 'C');
  EXPECT_EQ(c_flat.octave, 4);
}

TEST(Spelling, LettersMoveWithTheKey) {
  EXPECT_EQ(transpose_letter(C, 2), D);   // C major -> D major
  EXPECT_EQ(transpose_letter(F, 2), G);   // its F# -> G#
  EXPECT_EQ(transpose_letter(B, 7), B);   // Bb -> B: seven fifths, the same letter
  EXPECT_EQ(transpose_letter(E, -1), A);  // a fifth down
  EXPECT_EQ(transpose_letter(kUnspelled, 3), kUnspelled);
  // transpose() moves a written E# in F# minor to a written F# (G# minor would be 5 sharps).
  Score s = chords_in({3, Mode::kMinor}, {{77, 73, 68, 49}});  // E#5 over C#
  set_letter(s, 0, 0, E);
  Score up = transpose(s, 1);  // G minor (2 flats): the E# becomes F#
  EXPECT_EQ(up.meta[0].key.fifths, -2);
  EXPECT_EQ(up.voices[0][0], 78);
  EXPECT_EQ(letter_at(up, 0, 0), F);
  EXPECT_EQ(alter_for(letter_at(up, 0, 0), 78), 1);
}

TEST(Spelling, TheKeyAndTheHarmonySpellNotesWithoutLetters) {
  // G minor: D major (D F# A) -> G minor. The leading tone is F#, not Gb.
  Score g_minor = chords_in({-2, Mode::kMinor}, {{69, 66, 62, 50}, {70, 67, 62, 43}});
  auto letters = spell_notes(g_minor);
  EXPECT_EQ(name_of(g_minor, letters, 1, 0), "F#4");
  EXPECT_EQ(name_of(g_minor, letters, 0, 4), "Bb4");
  // A minor: E major (E G# B) -> A minor. G#, not Ab.
  Score a_minor = chords_in({0, Mode::kMinor}, {{71, 68, 64, 52}, {72, 69, 64, 45}});
  letters = spell_notes(a_minor);
  EXPECT_EQ(name_of(a_minor, letters, 1, 0), "G#4");
  // F major: Bb, and the secondary dominant of D minor (A C# E) with C#, not Db.
  Score f_major = chords_in({-1, Mode::kMajor}, {{70, 65, 62, 46}, {73, 69, 64, 45}, {74, 69, 65, 50}});
  letters = spell_notes(f_major);
  EXPECT_EQ(name_of(f_major, letters, 0, 0), "Bb4");
  EXPECT_EQ(name_of(f_major, letters, 0, 4), "C#5");
  // E-flat major: Ab and Eb, never G# or D#.
  Score e_flat = chords_in({-3, Mode::kMajor}, {{68, 63, 60, 44}, {67, 63, 58, 51}});
  letters = spell_notes(e_flat);
  EXPECT_EQ(name_of(e_flat, letters, 0, 0), "Ab4");
  EXPECT_EQ(name_of(e_flat, letters, 1, 0), "Eb4");
}

TEST(Spelling, WrittenLettersAreKept) {
  // A file may write what the rule would not (Gb in G minor); it is kept.
  Score s = chords_in({-2, Mode::kMinor}, {{69, 66, 62, 50}});
  set_letter(s, 1, 0, G);
  auto letters = spell_notes(s);
  EXPECT_EQ(letters[1][0], G);
  EXPECT_EQ(name_of(s, letters, 1, 0), "Gb4");
  // A letter that cannot write its pitch (C for F#) is spelled by the rule.
  set_letter(s, 1, 0, C);
  EXPECT_EQ(name_of(s, spell_notes(s), 1, 0), "F#4");
  // Holds and rests have no letter.
  EXPECT_EQ(letters[0][1], kUnspelled);
}

TEST(Spelling, ValidateChecksTheLetterRows) {
  Score s = make_empty_score(8, {}, {4, 4});
  set_letter(s, 0, 0, kUnspelled);  // nothing to store
  EXPECT_TRUE(s.letters[0].empty());
  set_letter(s, 0, 0, C);
  EXPECT_EQ(s.letters[0].size(), 8u);
  EXPECT_EQ(validate(s), "");
  s.letters[0].pop_back();
  EXPECT_NE(validate(s).find("letters"), std::string::npos);
  s.letters[0].push_back(9);
  EXPECT_NE(validate(s).find("invalid letter"), std::string::npos);
}
