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

}  // namespace dq::music
