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

// What two moving voices do to a perfect interval, the upper voice going from
// `upper_from` to `upper_to` and the lower one from `lower_from` to `lower_to`
// (both really move). Hidden fifths and octaves count only between the outer
// voices (`outer`), when both move the same way and the soprano leaps.
enum class PerfectMotion { kNone, kParallelFifths, kParallelOctaves, kContrary, kHidden };
PerfectMotion perfect_motion(int upper_from, int upper_to, int lower_from, int lower_to, bool outer);

}  // namespace dq::music
