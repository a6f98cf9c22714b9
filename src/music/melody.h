// Melodic intervals as a musician counts them in a voice's line: from one
// note to the next (rests skipped), bucketed into the classes a harmony
// teacher names (a repeated note, a step, a third, a fourth, a tritone, a
// fifth, a sixth or seventh, an octave or wider), up and down apart where
// the direction matters. One definition for the evaluation's features
// (eval/piece_features.h) and the sampler's melodic tilt
// (sample/melodic_tilt.h), so that both count the same thing.
#pragma once

#include <array>
#include <vector>

#include "music/score.h"

namespace dq::music {

constexpr int kIntervalBuckets = 11;

// "repeated notes", "steps up", "steps down", "thirds up", "thirds down",
// "fourths up", "fourths down", "tritones", "fifths", "sixths and sevenths",
// "octaves and wider": the buckets in order.
extern const char* const kIntervalBucketNames[kIntervalBuckets];

// The bucket of a melodic interval of `semitones` (negative: down): 0 a
// repeated note; 1-2 a step up / down (1-2 semitones); 3-4 a third (3-4);
// 5-6 a fourth (5); 7 a tritone; 8 a fifth; 9 a sixth or seventh (8-11);
// 10 an octave or wider (either way).
int interval_bucket(int semitones);

// Per voice, the fraction of its moves in each bucket over all `scores`
// (a voice with no moves: all zero).
using IntervalMix = std::array<std::array<double, kIntervalBuckets>, kNumVoices>;
IntervalMix interval_mix(const std::vector<Score>& scores);

}  // namespace dq::music
