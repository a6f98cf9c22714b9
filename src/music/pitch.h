// Pitch spelling and names: turning a MIDI number into a written note
// (step, alteration, octave) in the context of a key signature, and back.
#pragma once

#include <string>

#include "music/score.h"

namespace dq::music {

struct SpelledPitch {
  char step = 'C';  // C D E F G A B
  int alter = 0;    // -2 .. +2
  int octave = 4;   // scientific octave: middle C is C4 (MIDI 60)
};

// The spelling of `midi` a reader of a piece in a key with `fifths` sharps
// (negative: flats) expects: sharps in sharp keys, flats in flat keys, and
// the key's own accidentals used where they fit.
SpelledPitch spell(int midi, int fifths);

// MIDI number of a written pitch.
int midi_of(char step, int alter, int octave);

// "C4", "F#3", "Bb2" (for messages and reports).
std::string pitch_name(int midi);

// Pitch class (0 = C) of the tonic of `key`; major when the mode is unknown.
int tonic_pitch_class(KeySignature key);

// "D major", "B minor", "2 sharps" (mode unknown).
std::string key_name(KeySignature key);

}  // namespace dq::music
