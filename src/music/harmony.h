// Textbook harmony shared by the evaluation's grader and the samplers'
// voice-leading prior, so that both judge a chord the same way.
#pragma once

#include <array>

#include "music/score.h"

namespace dq::music {

// Whether the sounding pitches (MIDI, -1 for silent voices) make a cadence in
// the key with this tonic: a major or minor triad whose bass is the tonic, the
// dominant or the relative key's tonic. False when nothing sounds.
bool is_cadence_chord(const std::array<int, kNumVoices>& pitches, int tonic_pitch_class, bool minor);

// Whether the sounding pitches make the final chord of a piece in the key
// with this tonic: a major or minor triad on the tonic with the tonic in the
// bass (in minor, the Picardy third's major triad too). False when nothing sounds.
bool is_final_tonic_chord(const std::array<int, kNumVoices>& pitches, int tonic_pitch_class);

// What two moving voices do to a perfect interval, the upper voice going from
// `upper_from` to `upper_to` and the lower one from `lower_from` to `lower_to`
// (both really move). Hidden fifths and octaves count only between the outer
// voices (`outer`), when both move the same way and the soprano leaps.
enum class PerfectMotion { kNone, kParallelFifths, kParallelOctaves, kContrary, kHidden };
PerfectMotion perfect_motion(int upper_from, int upper_to, int lower_from, int lower_to, bool outer);

// The mode of a piece in key signature `fifths`, read from its last sounding
// chord as an organist would (many music21 chorales carry no <mode>): a final
// bass on the major tonic or its dominant is major, one on the relative minor's
// tonic or its dominant (a Phrygian close) minor; otherwise the mode whose
// tonic triad holds more of the piece's note lengths. kUnknown for a silent piece.
Mode infer_mode(const Score& score, int fifths);

// The key of a piece: the first tick's key signature, its mode from the file
// or, where the file does not say, from infer_mode.
KeySignature home_key(const Score& score);

}  // namespace dq::music
