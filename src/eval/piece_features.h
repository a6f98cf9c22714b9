// One feature vector per piece, for the classifier two-sample test
// (two_sample.h): what a musician hears in a chorale, as fractions and rates
// so that nothing in it measures the piece's length. Every feature has a
// readable name, so that the report can say what separates two sets
// ("notes of an eighth or shorter: generated 0.25, Bach 0.37").
//
// The piece is read in the key it is in (for Bach, music::home_key; for a
// generated piece, the key asked for); chords, changes, root motion, cadences
// and the final chord as defined in eval/progression.h; the voice-leading
// rules as counted by eval/grader.h. In order (104 features):
// - pitch classes against the tonic: the fraction of note onsets (all voices)
//   on each of the 12 pitch classes counted up from the tonic; and the
//   fraction outside the key's scale;
// - melodic intervals per voice (soprano, alto, tenor, bass): the fraction of
//   the voice's moves from one note to the next (rests skipped) that are a
//   repeated note (the repeated-note rate), a step up / down (1-2
//   semitones), a third up / down (3-4), a fourth up / down (5), a tritone,
//   a fifth, a sixth or seventh (8-11), an octave or wider (either way);
// - note lengths: the fraction of note onsets (all voices) lasting a 16th, an
//   8th, a dotted 8th, a quarter, 5-6 ticks (a dotted quarter), 7-8 (a half),
//   longer; per voice, the fraction of its notes of an eighth or shorter;
//   the fraction of voice-ticks that rest;
// - chords per beat: the fraction of beat chords of each quality of
//   ChordQuality (major, minor, diminished, augmented, dominant seventh,
//   other seventh, none recognised); of triads in root position; of chords
//   with the fifth in the bass (6/4);
// - chord changes per bar; root motion: the fraction of chord changes by
//   each RootMotion;
// - cadences: the fraction of fermatas of each Cadence type;
// - the final chord: 1 for its FinalChord kind (tonic, dominant, other), 0
//   for the others;
// - voice leading: each rule of eval/grader.h, breaches per note.
// A fraction whose denominator is zero (no fermatas, no moves) is 0.
#pragma once

#include <string>
#include <vector>

#include "music/score.h"

namespace dq::eval {

struct FeatureVector {
  std::vector<std::string> names;  // the same for every piece
  std::vector<double> values;
};

// The feature vector of `score` read in `key`.
FeatureVector piece_feature_vector(const music::Score& score, music::KeySignature key);

}  // namespace dq::eval
