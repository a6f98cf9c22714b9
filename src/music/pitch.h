// Pitch spelling and the names musicians write: turning a MIDI number into a
// written note (step, alteration, octave) in the context of a key signature,
// and back; pitches ("F#3"), keys ("D major") and meters ("6/8") printed and
// parsed, each parser beside its printer.
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
// "C4", "F#3", "Bb2" or "60" -> MIDI; throws dq::Error.
int parse_pitch(const std::string& text);

// Pitch class (0 = C) of the tonic of `key`; major when the mode is unknown.
int tonic_pitch_class(KeySignature key);

// Fifths of the major key whose tonic has pitch class `tonic` (0 = C),
// spelled with at most 6 flats or sharps (F# major, not Gb).
int major_key_fifths(int tonic);

// "D major", "B minor", "2 sharps" (mode unknown).
std::string key_name(KeySignature key);
// Parses "D major", "b minor", "Eb", "F# minor", "c" (lower case: minor); throws dq::Error.
KeySignature parse_key(const std::string& text);

// "4/4", "6/8".
std::string meter_name(TimeSignature time);
// Parses "4/4", "3/4", "3/2", "6/8"...; throws dq::Error for other text or a meter the grid cannot hold.
TimeSignature parse_meter(const std::string& text);

}  // namespace dq::music
