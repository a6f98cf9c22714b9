// Pitch spelling: the letter each note is written with.
//
// A spelled pitch class is a place on the line of fifths: ... Eb -3, Bb -2,
// F -1, C 0, G 1, D 2 ... F# 6, C# 7 ...: the letter's place plus 7 per sharp.
// A note read from a file keeps the letter the file wrote (Score::letters).
// A note without one (MIDI, a generated voice) is spelled as a reader of the
// key and the harmony expects: tick by tick, the notes that start together
// take, jointly, the spellings that lie nearest on the line of fifths to a
// centre made of the key (major or minor) and of the music just heard, and
// near the notes sounding with them. So the leading tone of G minor is F#,
// the third of E major in A minor G#, and a chord's notes are spelled as one
// chord. On Bach's chorales, letters dropped, it agrees with Bach's spelling
// on more than 99.7% of the notes (tests/music/spelling_test.cpp).
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "music/pitch.h"
#include "music/score.h"

namespace dq::music {

// Place on the line of fifths of `letter` altered by `alter` (C = 0).
int fifths_of(Letter letter, int alter);

// The alteration (-2 .. +2) with which `letter` writes MIDI `pitch`, or none
// when it would need more than two sharps or flats.
std::optional<int> alter_for(Letter letter, int pitch);

// `pitch` written with `letter` (which alter_for must accept).
SpelledPitch spelled_as(int pitch, Letter letter);

// The letter of a note transposed by a key that moved `fifths` places along
// the line of fifths (two sharps more: +2, so C -> D).
Letter transpose_letter(Letter letter, int fifths);

// The letters of every note of `score` (one row per voice, one per tick,
// kUnspelled where no note starts): the file's where it has them, the
// rule above for the others.
std::array<std::vector<Letter>, kNumVoices> spell_notes(const Score& score);

}  // namespace dq::music
